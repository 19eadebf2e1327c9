"""The GBV tables on a known dataset, the ISP and consent gates, pages, reports and API."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.cases.models import ConsentPurpose, GBVType, IncidentSetting, PerpetratorRelation
from ruta.cases.tests.factories import give_consent, make_case, make_incident
from ruta.statistics import report, tables
from ruta.statistics.models import Audience, PublishedReport, SharingProtocol

pytestmark = pytest.mark.dates

QUARTER = tables.parse_period("2026-Q2")
assert QUARTER is not None


def sign(world: Any, org: Any, **kw: Any) -> SharingProtocol:
    admin_key = "agency_admin.care" if org == world.care else "agency_admin.hias"
    fields = {
        "share_with_analysts": True,
        "share_with_coordinator": True,
        "share_with_public": False,
        "effective_from": dt.date(2026, 1, 1),
        "threshold": 5,
    }
    fields.update(kw)
    return SharingProtocol.objects.create(
        organization=org, signed_by=world.user(admin_key), signed_at=timezone.now(), **fields
    )


def incident(
    world: Any,
    *,
    org: str = "care",
    opened: dt.date = dt.date(2026, 4, 10),
    happened: dt.date = dt.date(2026, 4, 8),
    reporting: bool = True,
    gbv_type: str = GBVType.RAPE,
    age: int = 30,
    sex: str = "female",
    perpetrator: str = PerpetratorRelation.PARTNER,
) -> Any:
    worker = world.user(f"caseworker.{org}")
    case = make_case(worker, opened_on=opened, age=age, sex=sex)
    if reporting:
        give_consent(worker, case, purpose=ConsentPurpose.REPORTING)
    make_incident(
        worker,
        case,
        gbv_type,
        date=happened,
        setting=IncidentSetting.HOME,
        perpetrator=perpetrator,
    )
    return case


def counts(audience: str) -> dict[str, list[list[int]]]:
    return {t.code: t.counts for t in tables.compute(audience, QUARTER)}


@pytest.mark.django_db
def test_tables_count_consented_incidents_of_signed_agencies_only(world: Any) -> None:
    sign(world, world.care)
    for _n in range(6):
        incident(world)  # rape, women, partner, April, 2 days
    incident(world, gbv_type=GBVType.PHYSICAL_ASSAULT, age=15, happened=dt.date(2026, 3, 1))
    incident(world, reporting=False)  # no reporting consent: never counted
    incident(world, org="hias")  # HIAS signed nothing: shares nothing
    found = counts(Audience.ANALYSTS)
    rape = [c for c, _l in tables.GBVType.choices].index(GBVType.RAPE)
    physical = [c for c, _l in tables.GBVType.choices].index(GBVType.PHYSICAL_ASSAULT)
    assert found["type_by_sex"][rape] == [6, 0, 0, 0, 0]
    assert found["type_by_sex"][physical] == [1, 0, 0, 0, 0]
    bands = [c for c, _l in tables.AgeBand.choices]
    assert found["age_by_sex"][bands.index("15-17")] == [1, 0, 0, 0, 0]  # a girl of 15
    assert found["age_by_sex"][bands.index("26-59")] == [6, 0, 0, 0, 0]
    assert found["perpetrator"][0] == [7, 0, 0]  # partner, April
    delays = found["delay"]
    assert delays[0] == [6, 0, 0] and delays[4] == [1, 0, 0]  # 2 days; 40 days
    assert counts(Audience.PUBLIC)["type_by_sex"][rape] == [0, 0, 0, 0, 0]


@pytest.mark.django_db
def test_the_incidents_are_read_once_for_every_table(
    world: Any, django_assert_num_queries: Any
) -> None:
    """One aggregate over the counted incidents serves the five incident tables (and one
    the referrals), however many combinations of type, sex, age, place and month."""
    sign(world, world.care)
    incident(world)
    incident(world, gbv_type=GBVType.PHYSICAL_ASSAULT, age=15, sex="male")
    incident(world, opened=dt.date(2026, 6, 2), happened=dt.date(2026, 5, 1))
    with django_assert_num_queries(2):
        found = {t.code: t.counts for t in tables.compute(Audience.ANALYSTS, QUARTER)}
    assert [sum(map(sum, found[code])) for code in tables.INCIDENT_TABLES] == [3] * 5
    assert found["delay"][0] == [2, 0, 0] and found["delay"][4] == [0, 0, 1]
    teen = [c for c, _l in tables.AgeBand.choices].index("15-17")
    assert found["age_by_sex"][teen] == [0, 1, 0, 0, 0]  # a boy of 15


@pytest.mark.django_db
def test_a_withdrawn_consent_or_protocol_stops_the_counting(world: Any) -> None:
    protocol = sign(world, world.care)
    case = incident(world)
    rape = [c for c, _l in tables.GBVType.choices].index(GBVType.RAPE)
    assert counts(Audience.ANALYSTS)["type_by_sex"][rape][0] == 1
    case.consents.filter(purpose=ConsentPurpose.REPORTING).update(withdrawn_at=timezone.now())
    assert counts(Audience.ANALYSTS)["type_by_sex"][rape][0] == 0
    case.consents.filter(purpose=ConsentPurpose.REPORTING).update(withdrawn_at=None)
    protocol.withdrawn_at = timezone.now()
    protocol.save()
    assert counts(Audience.ANALYSTS)["type_by_sex"][rape][0] == 0


@pytest.mark.django_db
def test_incidents_reported_before_the_protocol_took_effect_are_not_shared(world: Any) -> None:
    sign(world, world.care, effective_from=dt.date(2026, 5, 1))
    incident(world)  # reported 10 April
    incident(world, opened=dt.date(2026, 5, 3))
    assert sum(map(sum, counts(Audience.ANALYSTS)["type_by_sex"])) == 1


@pytest.mark.django_db
def test_shown_tables_hide_small_counts_and_pass_the_audit(world: Any) -> None:
    sign(world, world.care)
    for _n in range(7):
        incident(world)
    incident(world, gbv_type=GBVType.PHYSICAL_ASSAULT, perpetrator=PerpetratorRelation.FAMILY)
    data = report.suppressed(Audience.ANALYSTS, QUARTER)
    assert data["audit"]["passed"] and data["audit"]["primary_cells"] > 0
    assert report.verify(data["tables"], 5)
    values = [v for t in data["tables"] for row in t["cells"] for v in row]
    assert "<5" in values and 1 not in values
    # Complementary cells: a published 7 beside a published total of 8 would reveal the 1.
    assert data["audit"]["hidden_cells"] > data["audit"]["primary_cells"]


@pytest.mark.django_db
def test_agency_admin_signs_and_withdraws_the_isp_audited(client: Any, world: Any) -> None:
    admin = world.user("agency_admin.care")
    verified_login(client, admin)
    url = reverse("statistics:isp")
    refused = client.post(url, {"effective_from": "2026-01-01", "threshold": "2"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "2026-01-01" in body  # what was typed stays
    answer = client.post(
        url, {"share_with_public": "on", "effective_from": "2026-01-01", "threshold": "5"}
    )
    assert answer.status_code == 302
    protocol = SharingProtocol.objects.get(organization=world.care)
    assert protocol.share_with_public and not protocol.share_with_analysts
    assert AuditEvent.objects.filter(action="statistics.isp_signed").exists()
    assert client.post(reverse("statistics:isp_withdraw")).status_code == 302
    protocol.refresh_from_db()
    assert protocol.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="statistics.isp_withdrawn").exists()
    assert client.post(reverse("statistics:isp_withdraw")).status_code == 404


@pytest.mark.django_db
def test_coordinator_publishes_a_frozen_report_downloadable_as_xlsx_and_pdf(
    client: Any, world: Any
) -> None:
    from openpyxl import load_workbook

    sign(world, world.care, share_with_public=True)
    for _n in range(6):
        incident(world)
    incident(world, gbv_type=GBVType.DENIAL)
    coordinator = world.user("coordinator")
    verified_login(client, coordinator)
    page = client.get(reverse("statistics:tables"), {"period": "2026-Q2"})
    assert page.status_code == 200 and "&lt;5" in page.content.decode()
    answer = client.post(reverse("statistics:publish"), {"period": "2026-Q2", "audience": "public"})
    published = PublishedReport.objects.get()
    assert answer.status_code == 302 and published.audience == Audience.PUBLIC
    assert AuditEvent.objects.filter(action="statistics.report_published").exists()
    # Frozen: later incidents do not change it.
    incident(world)
    published.refresh_from_db()
    snapshot = published.tables
    client.logout()
    detail = client.get(reverse("statistics:report_detail", args=[published.uuid]))
    assert detail.status_code == 200 and "&lt;5" in detail.content.decode()
    xlsx = client.get(reverse("statistics:report_download", args=[published.uuid, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "<5" in cells and 1 not in cells
    pdf = client.get(reverse("statistics:report_download", args=[published.uuid, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert PublishedReport.objects.get().tables == snapshot


@pytest.mark.django_db
def test_a_report_for_analysts_is_hidden_from_the_public(client: Any, world: Any) -> None:
    sign(world, world.care)
    published = report.publish(world.user("coordinator"), Audience.ANALYSTS, QUARTER)
    url = reverse("statistics:report_detail", args=[published.uuid])
    assert client.get(url).status_code == 404
    verified_login(client, world.user("analyst"))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_publishing_for_an_audience_nobody_shares_with_is_refused(client: Any, world: Any) -> None:
    sign(world, world.care)  # analysts and coordinator, not the public
    verified_login(client, world.user("coordinator"))
    answer = client.post(reverse("statistics:publish"), {"period": "2026-Q2", "audience": "public"})
    assert answer.status_code == 400
    assert not PublishedReport.objects.exists()


@pytest.mark.django_db
def test_api_gives_analysts_the_suppressed_quarter(client: Any, world: Any) -> None:
    sign(world, world.care)
    incident(world)
    verified_login(client, world.user("analyst"))
    url = reverse("statistics_api:gbv")
    data = client.get(url, {"quarter": "2026-Q2"}).json()
    assert data["period"] == "2026-Q2"
    assert all(v != 1 for t in data["tables"] for row in t["cells"] for v in row)
    assert client.get(url, {"quarter": "2026-13"}).status_code == 400
    verified_login(client, world.user("supervisor.care"))
    assert client.get(url, {"quarter": "2026-Q2"}).status_code == 404


def test_periods_parse_months_and_quarters() -> None:
    quarter = tables.parse_period("2026-q4")
    assert quarter is not None and (quarter.start, quarter.end) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    month = tables.parse_period("2026-02")
    assert month is not None and month.end == dt.date(2026, 2, 28)
    assert tables.parse_period("2026-Q5") is None
    assert tables.parse_period("nonsense") is None


@pytest.mark.django_db
def test_a_bad_period_is_refused_clearly_and_kept(client: Any, world: Any) -> None:
    verified_login(client, world.user("analyst"))
    answer = client.get(reverse("statistics:tables"), {"period": "2026-Q7"})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "2026-Q7" in body and "AAAA-Qn" in body  # Spanish message, what was typed kept


@pytest.mark.django_db
def test_the_publishing_gate_refuses_tables_that_would_reveal_a_count(world: Any) -> None:
    import copy

    sign(world, world.care)
    for _n in range(7):
        incident(world)
    incident(world, gbv_type=GBVType.DENIAL)
    data = report.suppressed(Audience.ANALYSTS, QUARTER)
    raw = tables.compute(Audience.ANALYSTS, QUARTER)
    report.audit_shown(raw, data["tables"], 5)  # what suppression made passes
    counts_by_code = {t.code: report.suppression.full_grid(t.counts) for t in raw}
    for mark in ("<5", report.HIDDEN):
        tampered = copy.deepcopy(data["tables"])
        table = next(t for t in tampered if any(mark in row for row in t["cells"]))
        i, j = next(
            (i, j) for i, row in enumerate(table["cells"]) for j, v in enumerate(row) if v == mark
        )
        table["cells"][i][j] = counts_by_code[table["code"]][i][j]  # shown after all
        with pytest.raises(report.AuditFailed):
            report.audit_shown(raw, tampered, 5)
    wrong = copy.deepcopy(data["tables"])
    wrong[0]["cells"][-1][-1] = 999
    with pytest.raises(report.AuditFailed):
        report.audit_shown(raw, wrong, 5)
