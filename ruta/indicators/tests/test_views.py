"""The indicator pages as their users meet them: results per period in each reader's
scope, values entered by hand with their evidence, an indicator's edit, and a project
from its creation to its progress against targets."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import verified_login
from ruta.activities.tests.factories import make_activity, make_session
from ruta.audit.models import AuditEvent
from ruta.indicators.models import Indicator, IndicatorValue, Project, Target
from ruta.measure.models import FactsState
from ruta.network.tests.factories import PDF_BYTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
G1 = ("iasc-mhpss-me", "G.1")


def _sessions_url() -> str:
    return reverse("indicators:indicator", args=["ruta-network", "R4"])


def _client(client: Any, world: Any, key: str) -> Any:
    return verified_login(client, world.user(key))


def _pdf(name: str = "informe.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _sessions(world: Any) -> None:
    """CARE: two sessions in March and one in May; HIAS: one in March."""
    care = world.user("caseworker.care")
    activity = make_activity(care, "Grupo CARE")
    for day in (dt.date(2026, 3, 5), dt.date(2026, 3, 12), dt.date(2026, 5, 2)):
        make_session(care, activity, day)
    hias = world.user("caseworker.hias")
    make_session(hias, make_activity(hias, "Grupo HIAS"), dt.date(2026, 3, 20))


def _row(body: str, label: str) -> str:
    assert f'<th scope="row">{label}</th>' in body, body[body.find("<tbody>") :][:1500]
    start = body.index(f'<th scope="row">{label}</th>')
    return body[start : body.index("</tr>", start)]


@time_machine.travel(NOW, tick=False)
def test_results_per_month_in_each_readers_scope(client: Any, world: Any) -> None:
    _sessions(world)
    network = _client(client, world, "coordinator").get(
        _sessions_url(), {"start": "2026-03", "end": "2026-05"}
    )
    body = network.content.decode()
    assert network.status_code == 200
    assert "Sessions of group and community activities held in the period." in body
    assert '<td data-label="Value">3</td>' in _row(body, "March 2026")
    assert '<td data-label="Value">0</td>' in _row(body, "April 2026")
    assert '<td data-label="Value">4</td>' in _row(body, "Whole period")

    care = verified_login(type(client)(), world.user("agency_admin.care"))
    own = care.get(_sessions_url(), {"start": "2026-03", "end": "2026-05"}).content.decode()
    assert '<td data-label="Value">2</td>' in _row(own, "March 2026")
    assert '<td data-label="Value">3</td>' in _row(own, "Whole period")
    assert 'name="organization"' not in own  # an agency reads its own figures only

    # The network reader narrows to one organization by its public id, by quarter.
    one = network.client.get(
        _sessions_url(),
        {
            "start": "2026-01",
            "end": "2026-06",
            "granularity": "quarter",
            "organization": str(world.hias.uuid),
        },
    ).content.decode()
    assert '<td data-label="Value">1</td>' in _row(one, "Q1 2026")
    assert '<td data-label="Value">0</td>' in _row(one, "Q2 2026")


@time_machine.travel(NOW, tick=False)
def test_results_csv_and_a_wrong_filter(client: Any, world: Any) -> None:
    _sessions(world)
    reader = _client(client, world, "analyst")
    url = reverse("indicators:indicator_csv", args=["ruta-network", "R4"])
    response = reader.get(url, {"start": "2026-03", "end": "2026-04"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["framework", "indicator", "period_start", "period_end", "value"]
    assert [r[2:5] for r in rows[1:]] == [
        ["2026-03-01", "2026-03-31", "3"],
        ["2026-04-01", "2026-04-30", "0"],
    ]
    # Start after end: the error is shown beside the form and the defaults apply (the
    # last twelve months up to this one).
    wrong = reader.get(_sessions_url(), {"start": "2026-05", "end": "2026-03"})
    body = wrong.content.decode()
    assert "The first month must come before the last." in body
    assert "July 2025" in body and "June 2026" in body


@time_machine.travel(NOW, tick=False)
def test_an_agency_enters_a_value_with_its_evidence(client: Any, world: Any) -> None:
    admin = _client(client, world, "agency_admin.care")
    url = reverse("indicators:value_new", args=G1)
    page = admin.get(url).content.decode()
    assert str(world.care.uuid) in page
    assert str(world.hias.uuid) not in page and 'value="network"' not in page

    data = {
        "organization": str(world.care.uuid),
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "value": "35",
        "note": "Encuesta de funcionamiento, 40 personas",
    }
    missing = admin.post(url, data)
    assert missing.status_code == 400
    assert "Attach the evidence or give a link to it." in missing.content.decode()
    assert "Encuesta de funcionamiento, 40 personas" in missing.content.decode()  # kept

    other = admin.post(url, {**data, "organization": str(world.hias.uuid), "evidence": _pdf()})
    assert other.status_code == 400 and not IndicatorValue.objects.exists()

    saved = admin.post(url, {**data, "evidence": _pdf()})
    assert saved.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.organization, value.value, value.entered_by) == (
        world.care,
        Decimal(35),
        world.user("agency_admin.care"),
    )
    assert value.evidence_name == "informe.pdf"
    event = AuditEvent.objects.get(action="indicators.value_entered")
    assert event.details == {
        "framework": "iasc-mhpss-me",
        "indicator": "G.1",
        "period": "2026-01-01/2026-03-31",
        "network_wide": False,
    }

    overlap = admin.post(
        url,
        {
            **data,
            "period_start": "2026-03-01",
            "period_end": "2026-04-30",
            "evidence_link": "https://example.org/r",
        },
    )
    assert overlap.status_code == 400
    assert "which meets this period" in overlap.content.decode()

    # The evidence: CARE's readers get it, HIAS's do not know it exists.
    evidence = reverse("indicators:evidence", args=[value.uuid])
    supervisor = verified_login(type(client)(), world.user("supervisor.care"))
    download = supervisor.get(evidence)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"
    hias = verified_login(type(client)(), world.user("agency_admin.hias"))
    assert hias.get(evidence).status_code == 404
    assert hias.get(reverse("indicators:value_edit", args=[value.uuid])).status_code == 404

    # The indicator's results read the value for the quarter.
    result = admin.get(
        reverse("indicators:indicator", args=G1),
        {"start": "2026-01", "end": "2026-03", "granularity": "quarter"},
    )
    assert '<td data-label="Value">35</td>' in _row(result.content.decode(), "Q1 2026")


@time_machine.travel(NOW, tick=False)
def test_a_percentage_is_worked_out_from_its_numerator_and_denominator(
    client: Any, world: Any
) -> None:
    indicator = Indicator.objects.get(framework__code="iasc-mhpss-me", code="G.3")
    indicator.unit = "percent"
    indicator.save()
    coordinator = _client(client, world, "coordinator")
    url = reverse("indicators:value_new", args=["iasc-mhpss-me", "G.3"])
    data = {
        "organization": "network",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "numerator": "30",
        "denominator": "40",
        "evidence_link": "https://example.org/informe",
    }
    wrong = coordinator.post(url, {**data, "value": "70"})
    assert wrong.status_code == 400
    assert "30 of 40 is 75.00%, not 70%." in wrong.content.decode()
    assert coordinator.post(url, data).status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.organization, value.value, value.numerator, value.denominator) == (
        None,
        Decimal("75.00"),
        30,
        40,
    )


def test_computed_indicators_take_no_value_by_hand(client: Any, world: Any) -> None:
    coordinator = _client(client, world, "coordinator")
    assert (
        coordinator.get(reverse("indicators:value_new", args=["ruta-network", "R4"])).status_code
        == 404
    )


def test_the_coordinator_edits_an_indicator_and_keeps_the_edit(client: Any, world: Any) -> None:
    coordinator = _client(client, world, "coordinator")
    url = reverse("indicators:indicator_edit", args=["ruta-network", "R4"])
    indicator = Indicator.objects.get(framework__code="ruta-network", code="R4")
    form = {
        "wording_es": "Sesiones realizadas (grupos y comunidad)",
        "wording_en": indicator.wording_en,
        "level": indicator.level,
        "unit": "percent",  # sessions_held gives a count
        "computation": "sessions_held",
        "disaggregation": indicator.disaggregation,
        "mov_es": indicator.mov_es,
        "mov_en": indicator.mov_en,
        "source": indicator.source,
        "verified": "on" if indicator.verified else "",
        "active": "on",
    }
    refused = coordinator.post(url, form)
    assert refused.status_code == 400
    assert "This computation gives a number: choose that unit." in refused.content.decode()
    assert coordinator.post(url, {**form, "unit": "count"}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.wording_es == "Sesiones realizadas (grupos y comunidad)"
    assert indicator.edited_by == world.user("coordinator") and indicator.edited_at is not None
    assert AuditEvent.objects.get(action="indicators.indicator_edited").details["fields"] == [
        "wording_es"
    ]


@time_machine.travel(NOW, tick=False)
def test_an_indicator_read_from_the_reach_facts_says_how_fresh_they_are(
    client: Any, world: Any
) -> None:
    FactsState.objects.create(pk=1, refreshed_at=dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC))
    analyst = _client(client, world, "analyst")
    reached = analyst.get(reverse("indicators:indicator", args=["ruta-network", "R1"]))
    assert "Figures as of June 1, 2026" in reached.content.decode()
    sessions = analyst.get(reverse("indicators:indicator", args=["ruta-network", "R4"]))
    assert "data-freshness" not in sessions.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_project_from_creation_to_progress(client: Any, world: Any) -> None:
    _sessions(world)
    admin = _client(client, world, "agency_admin.care")
    new = admin.post(
        reverse("indicators:project_new"),
        {
            "organization": str(world.care.uuid),
            "name": "Bienestar en frontera",
            "donor": "ECHO",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "budget": "120000",
            "currency": "usd",
        },
    )
    assert new.status_code == 302
    project = Project.objects.get()
    assert (project.organization, project.currency, project.created_by) == (
        world.care,
        "USD",
        world.user("agency_admin.care"),
    )

    add = admin.post(
        reverse("indicators:project_indicator_add", args=[project.uuid]),
        {"indicator": Indicator.objects.get(code="R4").pk, "baseline": "0"},
    )
    targets_url = reverse("indicators:targets", args=[project.uuid, "ruta-network", "R4"])
    assert add["Location"] == targets_url
    page = admin.get(targets_url).content.decode()
    assert page.count('name="t') == 4  # four quarters
    saved = admin.post(
        targets_url + "?por=quarter",
        {"baseline": "0", "t0-value": "2", "t1-value": "4", "t2-value": "", "t3-value": ""},
    )
    assert saved.status_code == 302
    assert list(Target.objects.values_list("period_start", "value")) == [
        (dt.date(2026, 1, 1), Decimal(2)),
        (dt.date(2026, 4, 1), Decimal(4)),
    ]
    body = admin.get(reverse("indicators:project", args=[project.uuid])).content.decode()
    first = _row(body, "Q1 2026")
    assert '<td data-label="Result">2</td>' in first and "Met" in first
    second = _row(body, "Q2 2026")  # 1 of 4 by mid-June: behind the pace
    assert '<td data-label="Result">1</td>' in second and "Behind" in second

    download = admin.get(reverse("indicators:project_csv", args=[project.uuid]))
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [(r["period_start"], r["target"], r["value"], r["status"]) for r in rows] == [
        ("2026-01-01", "2.00", "2", "met"),
        ("2026-04-01", "4.00", "1", "behind"),
    ]

    # R4 counts the sessions in the records; R1 reads the monthly reach facts, and the
    # page then says how fresh they are.
    assert "data-freshness" not in body
    admin.post(
        reverse("indicators:project_indicator_add", args=[project.uuid]),
        {"indicator": Indicator.objects.get(code="R1").pk, "baseline": "0"},
    )
    body = admin.get(reverse("indicators:project", args=[project.uuid])).content.decode()
    assert "data-freshness" in body and "The figures have not been computed yet" in body

    # Removing the indicator asks first, and says its targets go with it.
    remove = reverse(
        "indicators:project_indicator_remove", args=[project.uuid, "ruta-network", "R4"]
    )
    asked = admin.get(remove).content.decode()
    assert "Its 2 targets go with it." in asked
    assert Target.objects.count() == 2

    # HIAS's agency admin does not know the project exists; CARE's cannot create one for HIAS.
    hias = verified_login(type(client)(), world.user("agency_admin.hias"))
    assert hias.get(reverse("indicators:project", args=[project.uuid])).status_code == 404
    refused = admin.post(
        reverse("indicators:project_new"),
        {
            "organization": str(world.hias.uuid),
            "name": "X",
            "donor": "Y",
            "starts_on": "2026-01-01",
            "ends_on": "2026-02-01",
            "currency": "USD",
        },
    )
    assert refused.status_code == 400 and Project.objects.count() == 1


def test_the_project_list_reads_a_bounded_number_of_queries(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(5):
        Project.objects.create(
            organization=world.care,
            name=f"Proyecto {number}",
            donor="ECHO",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
    coordinator = _client(client, world, "coordinator")
    with django_assert_max_num_queries(12):
        response = coordinator.get(reverse("indicators:projects"))
    assert response.content.decode().count("Proyecto ") == 5


@time_machine.travel(NOW, tick=False)
def test_the_home_shows_where_running_projects_stand_today(client: Any, world: Any) -> None:
    _sessions(world)  # CARE: two sessions in March, one in May
    project = Project.objects.create(
        organization=world.care,
        name="Bienestar en frontera",
        donor="ECHO",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    line = project.indicators.create(indicator=Indicator.objects.get(code="R4"))
    for start, end, value in (
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), 1),  # not this period: not counted
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), 4),  # one of four by mid-June: behind
    ):
        line.targets.create(period_start=start, period_end=end, value=Decimal(value))
    Project.objects.create(  # ended: not running
        organization=world.care,
        name="Proyecto terminado",
        donor="ECHO",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
    )
    body = _client(client, world, "analyst").get(reverse("core:dashboard")).content.decode()
    assert "Bienestar en frontera" in body and "Proyecto terminado" not in body
    assert "Behind: 1</li>" in body and "Met:" not in body
    assert "All projects (1 running)" in body
    hias = verified_login(type(client)(), world.user("agency_admin.hias"))
    assert "Bienestar en frontera" not in hias.get(reverse("core:dashboard")).content.decode()


def test_the_coordinator_adds_items_the_shipped_data_keeps(client: Any, world: Any) -> None:
    from ruta.indicators.loader import load_all
    from ruta.indicators.models import Framework, ServicePackageActivity

    coordinator = _client(client, world, "coordinator")
    url = reverse("indicators:indicator_new", args=["iasc-mhpss-me"])
    goal = Indicator.objects.get(framework__code="iasc-mhpss-me", code="G")
    form = {
        "code": "G.1",  # taken
        "parent": goal.pk,
        "level": "outcome_indicator",
        "wording_es": "Personas que retoman sus actividades",
        "wording_en": "People who take up their activities again",
        "unit": "percent",
        "active": "on",
    }
    taken = coordinator.post(url, form)
    assert taken.status_code == 400
    assert "This framework already has an item with this code." in taken.content.decode()
    assert "Personas que retoman sus actividades" in taken.content.decode()  # kept
    assert coordinator.post(url, {**form, "code": "O/1"}).status_code == 400  # not an address
    added = coordinator.post(url, {**form, "code": "O.1"})
    assert added.status_code == 302
    item = Indicator.objects.get(framework__code="iasc-mhpss-me", code="O.1")
    assert (item.parent, item.unit, item.edited_by) == (goal, "percent", world.user("coordinator"))

    msp = reverse("indicators:package_activity_new", args=["iasc-mhpss-msp"])
    activity = {
        "code": "1.1",
        "area_es": "Coordinación",
        "area_en": "Coordination",
        "title_es": "Coordinar las actividades de SMAPS",
        "title_en": "Coordinate MHPSS activities",
    }
    assert coordinator.post(msp, activity).status_code == 302
    assert coordinator.post(msp, activity).status_code == 400  # the same code again

    load_all(None)  # the shipped data loaded again: the coordinator's items stay
    assert Indicator.objects.filter(code="O.1", framework__code="iasc-mhpss-me").exists()
    assert ServicePackageActivity.objects.filter(framework__code="iasc-mhpss-msp").count() == 1
    page = coordinator.get(reverse("indicators:catalogue")).content.decode()
    assert "Coordinate MHPSS activities" in page and "People who take up" in page
    assert Framework.objects.count() == 3
    assert set(
        AuditEvent.objects.filter(action__startswith="indicators.").values_list("action", flat=True)
    ) == {"indicators.indicator_added", "indicators.package_activity_added"}
