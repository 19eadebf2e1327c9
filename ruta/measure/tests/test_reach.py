"""People reached on a known dataset: de-duplication by key, new vs monthly beneficiaries,
anonymous counts that add up and say they are not de-duplicated; the 5W in libhxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import hxl
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ruta.activities import actions
from ruta.activities.tests.factories import make_activity, make_session
from ruta.audit.models import AuditEvent
from ruta.measure import facts, reach, registry
from ruta.places.models import AdminArea

pytestmark = pytest.mark.usefixtures("english")

MARCH, APRIL, MAY = dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)
PERSON = {"sex_age": "woman", "population_type": "in_destination"}


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    """CARE: one group in Lima with three sessions (two in March, one in April). Ana comes
    to all three; Beto to the April one only. Anonymous counts: 5 + 3 in March."""
    user = world.user("caseworker.care")
    activity = make_activity(user, admin1=AdminArea.objects.get(code="PE-LIM"))
    s1 = make_session(user, activity, dt.date(2026, 3, 5))
    s2 = make_session(user, activity, dt.date(2026, 3, 19))
    s3 = make_session(user, activity, dt.date(2026, 4, 2))
    for session in (s1, s2, s3):
        actions.record_attendance(user, session, "ANA-1", PERSON)
    actions.record_attendance(user, s3, "BETO-2", {**PERSON, "sex_age": "man"})
    actions.save_counts(user, s1, "in_destination", {"girls": 2, "women": 3, "lgbtiq": 1})
    actions.save_counts(user, s2, "in_destination", {"boys": 1, "men": 2})
    facts.refresh(current=False)  # the pages read the monthly facts
    return {"activity": activity, "user": user}


def _one(figures: list[reach.Figure]) -> reach.Figure:
    assert len(figures) == 1
    return figures[0]


def test_a_person_at_three_sessions_in_two_months_counts_once_a_month(data: Any) -> None:
    registry.register("cases", lambda *_args: [])  # only the activity here
    try:
        march = _one(reach.compute(MARCH))
        april = _one(reach.compute(APRIL))
    finally:
        from ruta.measure import sources

        sources.register_builtin()
    # March: Ana once (two sessions) + 8 anonymous = 9; all new.
    assert (march.total, march.new, march.not_deduplicated) == (9, 9, 8)
    assert march.total_by_group == {"girl": 2, "boy": 1, "woman": 4, "man": 2, "other": 0}
    assert march.lgbtiq == 1
    assert march.not_deduplicated_pct == 89
    # April: Ana again (not new) and Beto (new).
    assert (april.total, april.new, april.not_deduplicated) == (2, 1, 0)
    assert april.new_by_group == {"girl": 0, "boy": 0, "woman": 0, "man": 1, "other": 0}
    # Over both months at once: the same figures, month by month.
    both = reach.compute(MARCH, APRIL)
    assert [(f.cell.month, f.total, f.new) for f in both] == [(MARCH, 9, 9), (APRIL, 2, 1)]
    assert reach.compute(MAY) == []


def test_new_starts_again_in_a_new_reporting_year() -> None:
    def row(day: dt.date) -> registry.ReachRow:
        return registry.ReachRow("t", day, 1, "PE-LIM", "", "health_mhpss", "host", "man", "k")

    rows = [row(dt.date(2025, 12, 3)), row(dt.date(2026, 1, 8))]
    january = reach.compute_rows(rows, dt.date(2026, 1, 1), dt.date(2026, 1, 1))
    assert [(f.total, f.new) for f in january] == [(1, 1)]


def test_cases_reach_their_client_each_month_they_are_open(world: Any) -> None:
    from ruta.cases.tests.factories import make_case

    case = make_case(world.user("caseworker.care"))
    case.opened_on = dt.date(2026, 3, 10)
    case.closed_on = dt.date(2026, 4, 20)
    case.save()
    rows = [
        r for r in registry.rows(dt.date(2026, 1, 1), dt.date(2026, 5, 31)) if r.source == "cases"
    ]
    assert sorted(r.month for r in rows) == [MARCH, APRIL]
    assert all(r.person_key == f"case-client:{case.client.uuid}" for r in rows)
    april = reach.compute_rows(rows, APRIL, APRIL)
    assert [(f.total, f.new, f.not_deduplicated) for f in april] == [(1, 0, 0)]


def _parse(content: bytes, tmp_path: Path, suffix: str) -> Any:
    path = tmp_path / f"5w{suffix}"
    path.write_bytes(content)
    return hxl.data(str(path), hxl.InputOptions(allow_local=True))


def test_the_5w_reads_in_libhxl_with_no_personal_data(
    client: Any, world: Any, login: Any, data: Any, tmp_path: Path
) -> None:
    login(world.user("supervisor.care"))
    response = client.get(reverse("measure:fivew_download", args=["csv"]), {"month": "2026-03"})
    assert response.status_code == 200
    source = _parse(response.content, tmp_path, ".csv")
    rows = list(source)
    assert len(rows) == 1
    row = rows[0]
    assert row.get("#org+impl") == "CARE"
    assert row.get("#date+month") == "2026-03"
    assert row.get("#adm1+code") == "PE-LIM"
    assert row.get("#reached+total") == "9"
    assert row.get("#reached+new") == "9"
    assert row.get("#reached+f+adults") == "4"
    assert row.get("#reached+new+f+children") == "2"
    text = response.content.decode("utf-8-sig")
    assert "ANA" not in text and "BETO" not in text
    assert AuditEvent.objects.filter(action="measure.fivew_exported").exists()
    xlsx = client.get(reverse("measure:fivew_download", args=["xlsx"]), {"month": "2026-04"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.worksheets[0]["B2"].value == "#org+impl"
    assert [str(r.get("#reached+new")) for r in _parse(xlsx.content, tmp_path, ".xlsx")] == ["1"]


def test_an_agency_sees_its_own_figures_and_the_coordinator_all(
    client: Any, world: Any, login: Any, data: Any
) -> None:
    hias_user = world.user("caseworker.hias")
    other = make_activity(hias_user, "Grupo HIAS")
    session = make_session(hias_user, other, dt.date(2026, 3, 9))
    actions.save_counts(hias_user, session, "host", {"men": 7})
    facts.refresh(current=False)
    url = reverse("measure:fivew_download", args=["csv"])

    def orgs(user: Any) -> list[str]:
        login(user)
        text = client.get(url, {"month": "2026-03"}).content.decode("utf-8-sig")
        return sorted(line[1] for line in list(csv.reader(io.StringIO(text)))[2:])

    assert orgs(world.user("agency_admin.hias")) == ["HIAS"]
    assert orgs(world.user("coordinator")) == ["CARE", "HIAS"]
    assert orgs(world.user("analyst")) == ["CARE", "HIAS"]
    login(world.user("caseworker.care"))
    assert client.get(url).status_code == 403


def test_the_reach_page_states_the_share_not_deduplicated(
    client: Any, world: Any, login: Any, data: Any
) -> None:
    login(world.user("supervisor.care"))
    response = client.get(reverse("measure:reach"), {"month": "2026-03"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "89%" in body
    assert "Protection: gender-based violence" in body
    assert "Refugee or migrant in destination" in body


def test_the_analysts_home_shows_last_months_reach(
    client: Any, world: Any, login: Any, data: Any
) -> None:
    import time_machine

    with time_machine.travel(dt.datetime(2026, 4, 10, 12, tzinfo=dt.UTC), tick=False):
        login(world.user("analyst"))
        body = client.get(reverse("core:dashboard")).content.decode()
    assert "People reached in March 2026" in body
    assert "<strong>9</strong>" in body and "89% not de-duplicated" in body
    assert "5W aggregates (coming soon)" not in body
    assert reverse("measure:fivew") in body


def test_the_5w_hands_no_formula_to_a_spreadsheet(
    client: Any, world: Any, login: Any, data: Any
) -> None:
    world.care.acronym = '=HYPERLINK("//evil.example")'  # the acronym holds 30
    world.care.save()
    login(world.user("coordinator"))
    url = reverse("measure:fivew_download", args=["csv"])
    text = client.get(url, {"month": "2026-03"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[2][0].startswith("'=HYPERLINK")
    xlsx = client.get(reverse("measure:fivew_download", args=["xlsx"]), {"month": "2026-03"})
    cell = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]["A3"]
    assert cell.data_type == "s" and str(cell.value).startswith("'=")


def test_a_caller_who_calls_again_counts_once_and_one_without_a_number_is_a_count(
    world: Any,
) -> None:
    from ruta.helpline.tests.factories import make_contact

    operator = world.user("helpline.care")
    march = dt.datetime(2026, 3, 10, 15, tzinfo=dt.UTC)
    make_contact(operator, phone="+51 999 000 111", started_at=march)
    make_contact(operator, phone="+51 999 000 111", started_at=march + dt.timedelta(days=5))
    make_contact(operator, started_at=march)
    rows = [r for r in registry.rows(MARCH, dt.date(2026, 3, 31)) if r.source == "helpline"]
    assert len(rows) == 3
    assert all("999" not in (r.person_key or "") for r in rows)
    figure = _one(reach.compute_rows(rows, MARCH, MARCH))
    assert (figure.total, figure.new, figure.not_deduplicated) == (2, 2, 1)
    assert figure.cell.sector == "health_mhpss"
