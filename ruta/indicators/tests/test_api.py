"""The indicators and projects API, over a small dataset whose figures are counted by hand.

The clock stands at 03:00 UTC on 1 July 2026, still 30 June in Lima: the default period
is July 2025 to June 2026 (a clock read in UTC would end it in July).

Sessions of the network's "sessions held" indicator (R4), by organization and region:

    CARE, Lima:   2025-06-30 (before the default period), 2026-02-10, 2026-05-10,
                  2026-05-20, 2026-06-30 (the period's last day)
    CARE, Cusco:  2026-06-15
    HIAS, Lima:   2026-06-15

Values entered by hand for the IASC framework's G.1 (a count):

    CARE April 5, CARE May 7, HIAS May 3, the network (no organization) June 30
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import es, verified_login
from ruta.activities.tests.factories import make_activity, make_session
from ruta.indicators.models import Indicator
from ruta.indicators.tests.factories import add_line, enter_value, indicator, make_project
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 7, 1, 3, 0, tzinfo=dt.UTC)
D = dt.date
SESSIONS_HELD = {"framework": "ruta-network", "code": "R4"}
FUNCTIONING = {"framework": "iasc-mhpss-me", "code": "G.1"}


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sessions(world: Any) -> None:
    lima = AdminArea.objects.get(code="PE-LIM")
    cusco = AdminArea.objects.get(code="PE-CUS")
    care, hias = world.user("supervisor.care"), world.user("supervisor.hias")
    in_lima = make_activity(care, "Grupo de Lima", admin1=lima)
    for day in (D(2025, 6, 30), D(2026, 2, 10), D(2026, 5, 10), D(2026, 5, 20), D(2026, 6, 30)):
        make_session(care, in_lima, day)
    make_session(care, make_activity(care, "Grupo de Cusco", admin1=cusco), D(2026, 6, 15))
    make_session(hias, make_activity(hias, "Grupo HIAS", admin1=lima), D(2026, 6, 15))


@pytest.fixture
def values(world: Any) -> None:
    functioning = indicator("iasc-mhpss-me", "G.1")
    enter_value(functioning, world.care, D(2026, 4, 1), D(2026, 4, 30), "5")
    enter_value(functioning, world.care, D(2026, 5, 1), D(2026, 5, 31), "7")
    enter_value(functioning, world.hias, D(2026, 5, 1), D(2026, 5, 31), "3")
    enter_value(functioning, None, D(2026, 6, 1), D(2026, 6, 30), "30")


def _client(world: Any, key: str) -> Client:
    return verified_login(Client(), world.user(key))


def _results(client: Client, query: str = "", one: dict[str, str] = SESSIONS_HELD) -> Any:
    url = reverse("indicators_api:indicator-results", kwargs=one)
    return client.get(f"{url}?{query}" if query else url)


def _values(body: dict[str, Any]) -> dict[str, str]:
    """Each period's value by its first day (YYYY-MM)."""
    return {period["start"][:7]: period["value"] for period in body["periods"]}


def _codes(client: Client, query: str) -> list[str]:
    response = client.get(f"{reverse('indicators_api:indicator-list')}?{query}")
    assert response.status_code == 200
    return [item["code"] for item in response.json()["results"]]


# --- Indicators --------------------------------------------------------------------------


def test_an_indicator_is_listed_and_shown_with_its_framework_wording_and_computation(
    world: Any,
) -> None:
    client = _client(world, "analyst")
    response = client.get(reverse("indicators_api:indicator-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Indicator.objects.count()
    listed = {(item["framework"], item["code"]): item for item in body["results"]}
    sessions_held = listed[("ruta-network", "R4")]
    assert sessions_held == {
        "framework": "ruta-network",
        "code": "R4",
        "level": "output_indicator",
        "measured": True,
        "wording_es": "Sesiones de actividades realizadas",
        "wording_en": "Activity sessions held",
        "unit": "count",
        "computation": "sessions_held",
        "computation_explanation": es(
            "Sessions of group and community activities held in the period."
        ),
        "disaggregation": ["admin1"],
        "means_of_verification_es": sessions_held["means_of_verification_es"],
        "means_of_verification_en": sessions_held["means_of_verification_en"],
        "verified": True,
        "parent": None,
        "active": True,
    }
    assert sessions_held["means_of_verification_en"]
    functioning = listed[("iasc-mhpss-me", "G.1")]
    assert (functioning["level"], functioning["parent"], functioning["measured"]) == (
        "goal_indicator",
        "G",
        True,
    )
    assert (functioning["computation"], functioning["computation_explanation"]) == ("", "")
    assert functioning["verified"] is False
    assert listed[("iasc-mhpss-me", "G")]["measured"] is False

    detail = client.get(reverse("indicators_api:indicator-detail", kwargs=SESSIONS_HELD))
    assert detail.status_code == 200
    assert detail.json() == sessions_held
    missing = {"framework": "ruta-network", "code": "R99"}
    assert client.get(reverse("indicators_api:indicator-detail", kwargs=missing)).status_code == 404


def test_the_list_filters_by_framework_and_level(world: Any) -> None:
    client = _client(world, "coordinator")
    network = _codes(client, "framework=ruta-network")
    assert network == [f"R{number}" for number in range(1, 15)]
    assert _codes(client, "framework=iasc-mhpss-me&level=goal") == ["G"]
    assert _codes(client, "level=process_indicator") == ["R6", "R7", "R8"]
    assert _codes(client, "framework=nothing-of-the-kind") == []


# --- Results -----------------------------------------------------------------------------


@pytest.mark.usefixtures("sessions")
def test_a_computed_indicator_gives_the_last_twelve_months_by_default(world: Any) -> None:
    response = _results(_client(world, "coordinator"))
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("framework", "code", "unit", "granularity")} == {
        "framework": "ruta-network",
        "code": "R4",
        "unit": "count",
        "granularity": "month",
    }
    assert (body["start"], body["end"]) == ("2025-07-01", "2026-06-30")
    assert (body["organization"], body["admin1"]) == (None, None)
    assert len(body["periods"]) == 12
    assert body["periods"][-1] == {
        "start": "2026-06-01",
        "end": "2026-06-30",
        "value": "3",  # CARE in Lima and Cusco, HIAS in Lima
        "numerator": None,
        "denominator": None,
        "breakdown": [],
        "territory_applied": True,
        "not_deduplicated": 0,
    }
    assert _values(body) == {
        **{f"2025-{month:02d}": "0" for month in range(7, 13)},
        "2026-01": "0",
        "2026-02": "1",
        "2026-03": "0",
        "2026-04": "0",
        "2026-05": "2",
        "2026-06": "3",
    }


@pytest.mark.usefixtures("sessions")
def test_quarters_and_years_are_clipped_to_the_months_asked_for(world: Any) -> None:
    client = _client(world, "analyst")
    quarters = _results(client, "start=2026-01&end=2026-06&granularity=quarter").json()
    assert [(p["start"], p["end"], p["value"]) for p in quarters["periods"]] == [
        ("2026-01-01", "2026-03-31", "1"),
        ("2026-04-01", "2026-06-30", "5"),
    ]
    years = _results(client, "start=2025-06&end=2026-06&granularity=year").json()
    assert [(p["start"], p["end"], p["value"]) for p in years["periods"]] == [
        ("2025-06-01", "2025-12-31", "1"),
        ("2026-01-01", "2026-06-30", "6"),
    ]


@pytest.mark.usefixtures("sessions")
def test_a_network_reader_narrows_to_an_organization_and_a_region(world: Any) -> None:
    client = _client(world, "coordinator")
    june = "start=2026-06&end=2026-06"
    care = _results(client, f"{june}&organization={world.care.uuid}").json()
    assert (care["organization"], _values(care)) == (str(world.care.uuid), {"2026-06": "2"})
    lima = _results(client, f"{june}&admin1=PE-LIM").json()
    assert (lima["admin1"], _values(lima)) == ("PE-LIM", {"2026-06": "2"})
    both = _results(client, f"{june}&admin1=PE-LIM&organization={world.care.uuid}").json()
    assert _values(both) == {"2026-06": "1"}


@pytest.mark.usefixtures("sessions")
def test_an_agency_reader_gets_their_own_organizations_figures_only(world: Any) -> None:
    care_admin = _client(world, "agency_admin.care")
    own = _results(care_admin, "start=2026-05&end=2026-06").json()
    assert (own["organization"], _values(own)) == (
        str(world.care.uuid),
        {"2026-05": "2", "2026-06": "2"},
    )
    named = _results(care_admin, f"start=2026-05&end=2026-06&organization={world.care.uuid}")
    assert _values(named.json()) == {"2026-05": "2", "2026-06": "2"}
    refused = _results(care_admin, f"organization={world.hias.uuid}")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "organization": [es("Choose an organization whose figures you may read.")]
    }
    hias = _results(_client(world, "supervisor.hias"), "start=2026-05&end=2026-06").json()
    assert (hias["organization"], _values(hias)) == (
        str(world.hias.uuid),
        {"2026-05": "0", "2026-06": "1"},
    )


@pytest.mark.usefixtures("values")
def test_an_indicator_entered_by_hand_adds_up_the_values_of_each_period(world: Any) -> None:
    coordinator = _client(world, "coordinator")
    months = _results(coordinator, "start=2026-03&end=2026-06", FUNCTIONING).json()
    # March: nothing entered; May: CARE's and HIAS's; June: the network's own figure.
    assert _values(months) == {
        "2026-03": "",
        "2026-04": "5.00",
        "2026-05": "10.00",
        "2026-06": "30.00",
    }
    assert months["periods"][0]["numerator"] is None
    care = _results(_client(world, "agency_admin.care"), "start=2026-04&end=2026-06", FUNCTIONING)
    assert _values(care.json()) == {"2026-04": "5.00", "2026-05": "7.00", "2026-06": ""}
    quarter = _results(
        coordinator,
        f"start=2026-04&end=2026-06&granularity=quarter&organization={world.care.uuid}",
        FUNCTIONING,
    ).json()
    assert _values(quarter) == {"2026-04": "12.00"}


@pytest.mark.parametrize(
    ("query", "field", "message", "values"),
    [
        ("start=2026-13", "start", "Enter a month as YYYY-MM, for example 2026-03.", {}),
        ("end=June", "end", "Enter a month as YYYY-MM, for example 2026-03.", {}),
        (
            "start=1999-12",
            "start",
            "Choose a month from %(first)s to %(last)s.",
            {"first": 2000, "last": 2100},
        ),
        ("start=2026-06&end=2026-05", "start", "The first month must come before the last.", {}),
        (
            "start=2023-06&end=2026-06",
            "end",
            "Ask for at most %(count)s periods at a time.",
            {"count": 36},
        ),
        ("granularity=week", "granularity", '"{input}" is not a valid choice.', {"input": "week"}),
        ("organization=care", "organization", "Must be a valid UUID.", {}),
        (
            f"organization={uuid.UUID(int=7)}",
            "organization",
            "Choose an organization whose figures you may read.",
            {},
        ),
        ("admin1=PE-NOPE", "admin1", "Unknown region code.", {}),
    ],
)
def test_a_bad_query_is_refused_with_the_reason(
    world: Any, query: str, field: str, message: str, values: dict[str, Any]
) -> None:
    response = _results(_client(world, "coordinator"), query)
    assert response.status_code == 400
    # Ruta's messages take %-style values, Django REST framework's {}-style ones.
    expected = (es(message) % values).format(**values)
    assert response.json() == {
        "message": es("Some fields are not valid."),
        "errors": {field: [expected]},
    }


def test_thirty_six_periods_are_the_most_one_may_ask_for(world: Any) -> None:
    client = _client(world, "analyst")
    months = _results(client, "start=2023-07&end=2026-06")
    assert months.status_code == 200
    assert len(months.json()["periods"]) == 36
    years = _results(client, "start=2000-01&end=2035-12&granularity=year")
    assert years.status_code == 200
    assert len(years.json()["periods"]) == 36


def test_a_heading_has_no_results_and_the_list_refuses_an_unknown_level(world: Any) -> None:
    client = _client(world, "coordinator")
    goal = _results(client, "", {"framework": "iasc-mhpss-me", "code": "G"})
    assert goal.status_code == 400
    assert goal.json()["errors"] == {
        "indicator": [es("A goal or an outcome is a heading: it has no results.")]
    }
    listed = client.get(f"{reverse('indicators_api:indicator-list')}?level=heading")
    assert listed.status_code == 400
    assert list(listed.json()["errors"]) == ["level"]


def test_only_reach_readers_get_figures(world: Any) -> None:
    assert _results(Client()).status_code == 401
    assert _results(_client(world, "caseworker.care")).status_code == 403
    assert _results(_client(world, "admin")).status_code == 403


# --- Projects ----------------------------------------------------------------------------


@pytest.fixture
def project(world: Any, sessions: None, values: None) -> Any:
    """A CARE project in Lima: sessions held (baseline 1) and G.1, targets per period."""
    found = make_project(
        world.care,
        "Espacios seguros",
        territory=["PE-LIM"],
        budget="150000.00",
        description="Grupos de apoyo en Lima.",
    )
    add_line(
        found,
        indicator("ruta-network", "R4"),
        [
            (D(2026, 1, 1), D(2026, 3, 31), "2"),  # 1 held, the quarter is over: behind
            (D(2026, 4, 1), D(2026, 6, 30), "3"),  # 3 held in Lima (not Cusco): met
            (D(2026, 6, 1), D(2026, 7, 31), "2"),  # 1 held by day 30 of 61: on track
            (D(2026, 7, 1), D(2026, 9, 30), "3"),  # not started
        ],
        baseline="1",
    )
    add_line(
        found,
        indicator("iasc-mhpss-me", "G.1"),
        [
            (D(2026, 1, 1), D(2026, 3, 31), "10"),  # nothing entered
            (D(2026, 4, 1), D(2026, 6, 30), "20"),  # 5 + 7 entered by CARE
        ],
    )
    return found


def test_a_project_sets_each_target_beside_its_result(world: Any, project: Any) -> None:
    client = _client(world, "agency_admin.care")
    response = client.get(reverse("projects_api:project-detail", kwargs={"uuid": project.uuid}))
    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k != "indicators"} == {
        "uuid": str(project.uuid),
        "name": "Espacios seguros",
        "organization": str(world.care.uuid),
        "organization_name": "CARE Perú",
        "donor": "ECHO",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "territory": ["PE-LIM"],
        "budget": "150000.00",
        "currency": "USD",
        "indicator_count": 2,
        "description": "Grupos de apoyo en Lima.",
    }
    sessions_held, functioning = body["indicators"]
    assert {k: v for k, v in sessions_held.items() if k != "progress"} == {
        "framework": "ruta-network",
        "code": "R4",
        "wording_es": "Sesiones de actividades realizadas",
        "wording_en": "Activity sessions held",
        "unit": "count",
        "baseline": "1.00",
    }
    assert sessions_held["progress"] == [
        {
            "start": "2026-01-01",
            "end": "2026-03-31",
            "target": "2.00",
            "value": "1",
            "achieved_pct": "50.0",
            "status": "behind",
        },
        {
            "start": "2026-04-01",
            "end": "2026-06-30",
            "target": "3.00",
            "value": "3",
            "achieved_pct": "100.0",
            "status": "met",
        },
        {
            "start": "2026-06-01",
            "end": "2026-07-31",
            "target": "2.00",
            "value": "1",
            "achieved_pct": "50.0",
            "status": "on_track",
        },
        {
            "start": "2026-07-01",
            "end": "2026-09-30",
            "target": "3.00",
            "value": "0",
            "achieved_pct": "0.0",
            "status": "not_started",
        },
    ]
    assert functioning["baseline"] is None
    assert [(p["value"], p["achieved_pct"], p["status"]) for p in functioning["progress"]] == [
        ("", "", "no_data"),
        ("12.00", "60.0", "behind"),
    ]


def test_projects_are_scoped_to_the_readers_organization(world: Any, project: Any) -> None:
    other = make_project(world.hias, "Proyecto HIAS", starts_on=D(2026, 3, 1))
    lists = reverse("projects_api:project-list")

    def names(key: str) -> list[str]:
        response = _client(world, key).get(lists)
        assert response.status_code == 200
        return [item["name"] for item in response.json()["results"]]

    assert names("coordinator") == ["Proyecto HIAS", "Espacios seguros"]  # latest start first
    assert names("agency_admin.care") == ["Espacios seguros"]
    assert names("supervisor.hias") == ["Proyecto HIAS"]
    care_admin = _client(world, "agency_admin.care")
    hidden = reverse("projects_api:project-detail", kwargs={"uuid": other.uuid})
    assert care_admin.get(hidden).status_code == 404
    assert _client(world, "analyst").get(hidden).status_code == 200
    listed = care_admin.get(lists).json()["results"][0]
    assert "indicators" not in listed  # progress is computed in the detail only
    assert listed["indicator_count"] == 2
    mine = care_admin.get(f"{lists}?organization={world.care.uuid}").json()
    assert mine["count"] == 1


# --- Query counts ------------------------------------------------------------------------


def test_the_indicator_list_reads_a_fixed_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    client = _client(world, "coordinator")
    url = reverse("indicators_api:indicator-list")
    with django_assert_max_num_queries(8):  # 21 indicators, each with framework and parent
        assert client.get(url).status_code == 200


def test_the_project_list_reads_a_fixed_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(6):
        project = make_project(world.care if number % 2 else world.hias, f"Proyecto {number}")
        add_line(project, indicator("ruta-network", "R4"), [(D(2026, 1, 1), D(2026, 6, 30), "5")])
    client = _client(world, "coordinator")
    with django_assert_max_num_queries(8):  # the same with 1 or 60 projects
        response = client.get(reverse("projects_api:project-list"))
    assert response.json()["count"] == 6
