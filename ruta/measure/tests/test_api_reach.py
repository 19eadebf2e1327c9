"""The reach API, over activities whose monthly figures are counted by hand.

The clock stands at 15 June 2026: the default period is May 2026, the last full month.

CARE, Grupo de Lima (protection_gbv, PE-LIM): Ana (in destination) is registered at
sessions in March, April and May, Beto (host) in April; anonymous counts of
in_destination girls 2 + women 3 in March and host men 4 in May. CARE, Taller de Cusco
(health_mhpss, PE-CUS): in_transit women 3 in May. HIAS, Grupo HIAS (protection_gbv,
PE-LIM): host women 6 in May.

The facts, cell by cell (total / new / from anonymous counts):

    March  CARE  Lima   gbv    in_destination   6 / 6 / 5   (Ana and five counted)
    April  CARE  Lima   gbv    in_destination   1 / 0 / 0   (Ana again: not new)
    April  CARE  Lima   gbv    host             1 / 1 / 0   (Beto)
    May    CARE  Lima   gbv    in_destination   1 / 0 / 0   (Ana)
    May    CARE  Lima   gbv    host             4 / 4 / 4
    May    CARE  Cusco  mhpss  in_transit       3 / 3 / 3
    May    HIAS  Lima   gbv    host             6 / 6 / 6
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
from ruta.activities import actions
from ruta.activities.models import Participant
from ruta.activities.tests.factories import make_activity, make_session
from ruta.measure import facts
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
D = dt.date
ANA = {"sex_age": "woman", "population_type": "in_destination", "name": "Ana Quispe Prueba"}
BETO = {"sex_age": "man", "population_type": "host", "name": "Beto Rojas Prueba"}
SPRING = "start=2026-03&end=2026-05"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reached(world: Any) -> dict[str, Any]:
    care, hias = world.user("caseworker.care"), world.user("caseworker.hias")
    lima, cusco = AdminArea.objects.get(code="PE-LIM"), AdminArea.objects.get(code="PE-CUS")
    group = make_activity(care, "Grupo de Lima", admin1=lima)
    march, april, may = (make_session(care, group, D(2026, m, 5)) for m in (3, 4, 5))
    for session in (march, april, may):
        actions.record_attendance(care, session, "ANA-0042", ANA)
    actions.record_attendance(care, april, "BETO-0077", BETO)
    actions.save_counts(care, march, "in_destination", {"girls": 2, "women": 3})
    actions.save_counts(care, may, "host", {"men": 4})
    workshop = make_activity(care, "Taller de Cusco", admin1=cusco, sector="health_mhpss")
    actions.save_counts(
        care, make_session(care, workshop, D(2026, 5, 10)), "in_transit", {"women": 3}
    )
    other = make_activity(hias, "Grupo HIAS", admin1=lima)
    actions.save_counts(hias, make_session(hias, other, D(2026, 5, 12)), "host", {"women": 6})
    facts.refresh(current=False)  # as the task does every night
    return {"april": april, "care": care}


def _client(world: Any, key: str) -> Client:
    return verified_login(Client(), world.user(key))


def _reach(client: Client, query: str = "") -> Any:
    url = reverse("reach_api:reach")
    return client.get(f"{url}?{query}" if query else url)


def _figures(body: dict[str, Any]) -> dict[str, tuple[int, int, int, int]]:
    """Each row's (total, new, not de-duplicated, its share) by its key, in order."""
    return {
        row["key"]: (row["total"], row["new"], row["not_deduplicated"], row["not_deduplicated_pct"])
        for row in body["rows"]
    }


@pytest.mark.usefixtures("reached")
def test_the_last_full_month_by_default_with_how_fresh_the_facts_are(world: Any) -> None:
    response = _reach(_client(world, "coordinator"))
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-05-01",
        "end": "2026-05-31",
        "by": "month",
        "organization": None,
        "admin1": None,
        "sector": None,
        "freshness": {"refreshed_at": "2026-06-15T07:00:00-05:00", "pending_months": []},
        "rows": [
            {
                "key": "2026-05",
                "label": "mayo de 2026",
                "total": 14,
                "new": 13,
                "not_deduplicated": 13,
                "not_deduplicated_pct": 93,
            }
        ],
    }


@pytest.mark.usefixtures("reached")
def test_every_month_of_the_period_has_its_row(world: Any) -> None:
    client = _client(world, "analyst")
    body = _reach(client, SPRING).json()
    assert (body["start"], body["end"]) == ("2026-03-01", "2026-05-31")
    assert _figures(body) == {
        "2026-03": (6, 6, 5, 83),
        "2026-04": (2, 1, 0, 0),
        "2026-05": (14, 13, 13, 93),
    }
    assert [row["label"] for row in body["rows"]] == [
        "marzo de 2026",
        "abril de 2026",
        "mayo de 2026",
    ]
    quiet = _reach(client, "start=2026-01&end=2026-02").json()
    assert _figures(quiet) == {"2026-01": (0, 0, 0, 0), "2026-02": (0, 0, 0, 0)}
    # The end alone is one month; the start alone runs to the last full month.
    assert list(_figures(_reach(client, "end=2026-04").json())) == ["2026-04"]
    assert list(_figures(_reach(client, "start=2026-04").json())) == ["2026-04", "2026-05"]


@pytest.mark.usefixtures("reached")
def test_the_breakdowns_by_organization_region_sector_and_population(world: Any) -> None:
    client = _client(world, "coordinator")
    by_organization = _reach(client, f"{SPRING}&by=organization").json()
    assert by_organization["by"] == "organization"
    assert _figures(by_organization) == {
        str(world.care.uuid): (16, 14, 12, 75),
        str(world.hias.uuid): (6, 6, 6, 100),
    }
    assert [row["label"] for row in by_organization["rows"]] == ["CARE", "HIAS"]
    by_region = _reach(client, f"{SPRING}&by=admin1").json()
    assert _figures(by_region) == {"PE-CUS": (3, 3, 3, 100), "PE-LIM": (19, 17, 15, 79)}
    names = [AdminArea.objects.get(code=code).name_es for code in ("PE-CUS", "PE-LIM")]
    assert [row["label"] for row in by_region["rows"]] == names
    by_sector = _reach(client, f"{SPRING}&by=sector").json()
    assert _figures(by_sector) == {
        "health_mhpss": (3, 3, 3, 100),
        "protection_gbv": (19, 17, 15, 79),
    }
    assert by_sector["rows"][0]["label"] == es("Health: mental health and psychosocial support")
    by_population = _reach(client, f"{SPRING}&by=population_type").json()
    assert _figures(by_population) == {
        "host": (11, 11, 10, 91),
        "in_destination": (8, 6, 5, 62),
        "in_transit": (3, 3, 3, 100),
    }


@pytest.mark.usefixtures("reached")
def test_the_filters_narrow_the_figures(world: Any) -> None:
    client = _client(world, "coordinator")
    care = _reach(client, f"{SPRING}&organization={world.care.uuid}").json()
    assert care["organization"] == str(world.care.uuid)
    assert _figures(care) == {
        "2026-03": (6, 6, 5, 83),
        "2026-04": (2, 1, 0, 0),
        "2026-05": (8, 7, 7, 88),
    }
    cusco = _reach(client, f"{SPRING}&admin1=PE-CUS&by=organization").json()
    assert (cusco["admin1"], _figures(cusco)) == ("PE-CUS", {str(world.care.uuid): (3, 3, 3, 100)})
    gbv_hias = _reach(
        client, f"sector=protection_gbv&organization={world.hias.uuid}&by=population_type"
    ).json()
    assert (gbv_hias["sector"], _figures(gbv_hias)) == ("protection_gbv", {"host": (6, 6, 6, 100)})
    assert _figures(_reach(client, "sector=education").json()) == {"2026-05": (0, 0, 0, 0)}


@pytest.mark.usefixtures("reached")
def test_an_agency_reader_gets_their_own_organizations_figures_only(world: Any) -> None:
    care_admin = _client(world, "agency_admin.care")
    own = _reach(care_admin, f"{SPRING}&by=organization")
    assert own.status_code == 200
    assert own.json()["organization"] == str(world.care.uuid)
    assert _figures(own.json()) == {str(world.care.uuid): (16, 14, 12, 75)}
    assert "HIAS" not in own.content.decode()
    assert _figures(_reach(care_admin).json()) == {"2026-05": (8, 7, 7, 88)}
    named = _reach(care_admin, f"organization={world.care.uuid}")
    assert _figures(named.json()) == {"2026-05": (8, 7, 7, 88)}
    refused = _reach(care_admin, f"organization={world.hias.uuid}")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "organization": [es("Choose an organization whose figures you may read.")]
    }
    hias = _reach(_client(world, "supervisor.hias"), f"{SPRING}&by=sector").json()
    assert (hias["organization"], _figures(hias)) == (
        str(world.hias.uuid),
        {"protection_gbv": (6, 6, 6, 100)},
    )


def test_only_readers_of_figures_get_them(world: Any) -> None:
    assert _reach(Client()).status_code == 401
    for key in ("caseworker.care", "helpline.care", "admin"):
        assert _reach(_client(world, key)).status_code == 403, key


def test_no_answer_holds_a_participant(world: Any, reached: dict[str, Any]) -> None:
    client = _client(world, "coordinator")
    texts = [
        _reach(client, f"{SPRING}&by={by}").content.decode()
        for by in ("month", "organization", "admin1", "sector", "population_type")
    ]
    assert "marzo de 2026" in texts[0]
    secrets = ["ANA-0042", "BETO-0077", "Quispe", "Rojas"]
    for person in Participant.objects.all():
        secrets += [person.code_hash, str(person.uuid)]
    assert len(secrets) == 8
    for text in texts:
        assert [secret for secret in secrets if secret in text] == []


def test_changed_records_wait_for_the_next_refresh(world: Any, reached: dict[str, Any]) -> None:
    client = _client(world, "analyst")
    actions.save_counts(reached["care"], reached["april"], "returnee", {"boys": 5})
    stale = _reach(client, "start=2026-05").json()
    # A change in April changes who is new in May: May's figures wait too.
    assert stale["freshness"]["pending_months"] == ["2026-04"]
    assert _figures(stale) == {"2026-05": (14, 13, 13, 93)}
    facts.refresh(current=False)
    fresh = _reach(client, "start=2026-04&end=2026-04").json()
    assert fresh["freshness"]["pending_months"] == []
    assert _figures(fresh) == {"2026-04": (7, 6, 5, 71)}


@pytest.mark.parametrize(
    ("query", "field", "message", "values"),
    [
        ("start=2026-13", "start", "Enter a month as YYYY-MM, for example 2026-03.", {}),
        ("end=May", "end", "Enter a month as YYYY-MM, for example 2026-03.", {}),
        (
            "start=1999-12",
            "start",
            "Choose a month from %(first)s to %(last)s.",
            {"first": 2000, "last": 2100},
        ),
        ("start=2026-05&end=2026-04", "start", "The first month must come before the last.", {}),
        ("start=2026-06", "start", "The first month must come before the last.", {}),
        ("start=2023-06&end=2026-06", "end", "Choose at most %(count)s months.", {"count": 36}),
        ("by=week", "by", '"{input}" is not a valid choice.', {"input": "week"}),
        ("sector=sports", "sector", '"{input}" is not a valid choice.', {"input": "sports"}),
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
    response = _reach(_client(world, "coordinator"), query)
    assert response.status_code == 400
    # Ruta's messages take %-style values, Django REST framework's {}-style ones.
    expected = (es(message) % values).format(**values)
    assert response.json() == {
        "message": es("Some fields are not valid."),
        "errors": {field: [expected]},
    }


def test_thirty_six_months_are_the_most_one_may_ask_for(world: Any) -> None:
    response = _reach(_client(world, "analyst"), "start=2023-07&end=2026-06")
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 36
    assert response.json()["freshness"] == {"refreshed_at": None, "pending_months": []}


@pytest.mark.usefixtures("reached")
def test_an_answer_reads_a_fixed_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    client = _client(world, "agency_admin.care")
    query = f"{SPRING}&by=organization&admin1=PE-LIM&sector=protection_gbv"
    # The session and the second factor (3); the organization, the region, the figures,
    # the organizations' names, the facts' state and changed months (6); the session's
    # save (3 with its savepoint). The facts are summed in the database: the same for a
    # network's year.
    with django_assert_max_num_queries(12):
        assert _reach(client, query).status_code == 200
