"""Submitting the 5W: a submitted month is frozen (records added later do not change it),
a correction is a new version with its reason, imports are all-or-nothing with line
numbers, the consolidated export reads in libhxl, and the API says what is a draft."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from pathlib import Path
from typing import Any

import hxl
import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook

from ruta.activities import actions
from ruta.activities.tests.factories import make_activity, make_session
from ruta.audit.models import AuditEvent
from ruta.lib.sheets import workbook_bytes
from ruta.measure import fivew, submissions
from ruta.measure.fivew_models import FiveWSubmission, SubmissionSource
from ruta.places.models import AdminArea

pytestmark = pytest.mark.usefixtures("english")

MARCH = dt.date(2026, 3, 1)
APRIL_10 = dt.datetime(2026, 4, 10, 15, tzinfo=dt.UTC)


def month_url() -> str:
    return reverse("measure:fivew_month", kwargs={"month": "2026-03"})


def api() -> str:
    return reverse("reports_api:fivew")


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(APRIL_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def march(world: Any, clock: Any) -> dict[str, Any]:
    """CARE: one group in Lima, one March session with 2 girls and 3 women counted;
    HIAS: 7 men of the host community in March (never submitted here)."""
    user = world.user("caseworker.care")
    lima = AdminArea.objects.get(code="PE-LIM")
    activity = make_activity(user, admin1=lima)
    session = make_session(user, activity, dt.date(2026, 3, 5))
    actions.save_counts(user, session, "in_destination", {"girls": 2, "women": 3})
    hias_user = world.user("caseworker.hias")
    other = make_activity(hias_user, "Grupo HIAS", admin1=lima)
    actions.save_counts(
        hias_user, make_session(hias_user, other, dt.date(2026, 3, 9)), "host", {"men": 7}
    )
    refresh_facts()
    return {"user": user, "activity": activity}


def refresh_facts() -> None:
    """Where the 5W pages read pre-aggregated monthly facts (``ruta.measure.facts``), bring
    them up to date, as their refresh task would; where they compute live, nothing to do."""
    try:
        facts = importlib.import_module("ruta.measure.facts")
    except ImportError:
        return
    facts.refresh(current=False)


def _totals(rows: list[dict[str, Any]]) -> list[int]:
    return [int(row["#reached+total"]) for row in rows]


def _add_march_session(march: dict[str, Any], day: int, men: int) -> None:
    session = make_session(march["user"], march["activity"], dt.date(2026, 3, day))
    actions.save_counts(march["user"], session, "in_destination", {"men": men})
    refresh_facts()


def test_a_record_added_after_submission_does_not_change_the_submitted_figures(
    client: Any, world: Any, login: Any, march: Any
) -> None:
    login(world.user("agency_admin.care"))
    draft = client.get(month_url()).content.decode()
    assert "Draft: these rows are built from the records now" in draft
    response = client.post(month_url())
    assert response.status_code == 302
    submission = FiveWSubmission.objects.get(organization=world.care, month=MARCH)
    assert (submission.version, submission.source) == (1, SubmissionSource.RECORDS)
    assert submission.submitted_at == APRIL_10
    assert _totals(submission.rows) == [5]

    _add_march_session(march, 20, 4)  # recorded late: the live figure becomes 9
    live = submissions.live_rows(MARCH, frozenset({world.care.pk}), exact=True)
    assert _totals(live[world.care.pk]) == [9]

    page = client.get(month_url()).content.decode()
    assert "Submitted (version 1)" in page and "Agency_Admin Care" in page
    assert "<td>5</td>" in page and "<td>9</td>" not in page
    # The 5W page and its download show the submitted figures, not the live ones.
    text = client.get(reverse("measure:fivew_download", args=["csv"]), {"month": "2026-03"})
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    total = [c.tag for c in fivew.columns()].index("#reached+total")
    assert [row[total] for row in rows[2:]] == ["5"]
    # So does the API, with HIAS (not submitted) flagged as a live draft.
    login(world.user("analyst"))
    data = client.get(api(), {"month": "2026-03"}).json()
    by_name = {part["name"]: part for part in data["organizations"]}
    assert by_name["CARE"]["status"] == "submitted" and by_name["CARE"]["draft"] is False
    assert [row["total"] for row in by_name["CARE"]["rows"]] == [5]
    assert by_name["HIAS"]["draft"] is True and by_name["HIAS"]["version"] is None
    assert [row["men"] for row in by_name["HIAS"]["rows"]] == [7]


def test_a_correction_needs_a_reason_and_every_version_is_kept(
    client: Any, world: Any, login: Any, march: Any
) -> None:
    login(world.user("agency_admin.care"))
    client.post(month_url())
    _add_march_session(march, 20, 4)
    refused = client.post(month_url(), {"reason": "  "})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    assert FiveWSubmission.objects.count() == 1

    reason = "Late attendance sheet of 20 March"
    assert client.post(month_url(), {"reason": reason}).status_code == 302
    first, second = FiveWSubmission.objects.filter(organization=world.care).order_by("version")
    assert (first.version, _totals(first.rows), first.reason) == (1, [5], "")
    assert (second.version, _totals(second.rows), second.reason) == (2, [9], reason)
    page = client.get(month_url()).content.decode()
    assert "Corrected (version 2)" in page and reason in page
    old = client.get(month_url(), {"version": "1"}).content.decode()
    assert "These are the figures of version 1" in old and "<td>5</td>" in old
    assert client.get(month_url(), {"version": "7"}).status_code == 404

    events = AuditEvent.objects.filter(action__startswith="measure.fivew_").order_by("pk")
    assert [e.action for e in events] == ["measure.fivew_submitted", "measure.fivew_corrected"]
    assert events[1].details == {
        "month": "2026-03",
        "version": 2,
        "source": "records",
        "rows": 1,
        "replaces": str(first.uuid),
    }
    assert all(reason not in str(e.details) for e in events)
    # The months page states who submitted and when.
    months = client.get(reverse("measure:fivew_months")).content.decode()
    assert "Corrected (version 2)" in months and "Agency_Admin Care" in months


def test_a_month_that_has_not_ended_cannot_be_submitted(
    client: Any, world: Any, login: Any
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC), tick=False):
        login(world.user("coordinator"))
        response = client.post(month_url())
    assert response.status_code == 400
    assert "2026-03 has not ended yet" in response.content.decode()
    assert not FiveWSubmission.objects.exists()


def test_only_agency_admins_and_coordinators_submit_their_own(
    client: Any, world: Any, login: Any, march: Any
) -> None:
    login(world.user("supervisor.care"))
    assert client.post(month_url()).status_code == 403
    login(world.user("coordinator"))  # the network's organization, not CARE's
    assert client.post(month_url()).status_code == 302
    assert FiveWSubmission.objects.get().organization == world.network
    with pytest.raises(submissions.SubmissionError):
        submissions.submit(world.user("analyst"), MARCH)


# --- Import ------------------------------------------------------------------------------

HEADER = [c.tag for c in fivew.columns()]


def _line(**values: Any) -> list[str]:
    base: dict[str, Any] = {
        "#org+prog": "UNHCR",
        "#org+impl": "CARE",
        "#date+month": "2026-03",
        "#country+code": "PE",
        "#adm1+code": "PE-LIM",
        "#sector": "protection_gbv",
        "#population+type": "in_destination",
        "#indicator+cva": "no",
        "#reached+total": 10,
        "#reached+new": 4,
        "#reached+f+children": 3,
        "#reached+f+adults": 7,
        "#reached+new+f+children": 1,
        "#reached+new+f+adults": 3,
        "#reached+lgbtiq": 1,
    }
    base.update(values)
    return [str(base.get(tag, "")) for tag in HEADER]


def _csv(*lines: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in fivew.columns()])
    writer.writerow(HEADER)
    writer.writerows(lines)
    return buffer.getvalue().encode()


def _upload(client: Any, content: bytes, name: str = "5w.csv", reason: str = "") -> Any:
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("measure:fivew_import"), {"file": file, "reason": reason})


def test_an_import_with_errors_reports_every_line_and_saves_nothing(
    client: Any, world: Any, login: Any, clock: Any
) -> None:
    AdminArea.objects.create(
        code="PE150101",
        pcode="PE150101",
        country="PE",
        level=2,
        name_es="Lima",
        name_en="Lima",
        parent=AdminArea.objects.get(code="PE-LIM"),
    )
    login(world.user("agency_admin.care"))
    content = _csv(
        _line(),  # 3: right
        _line(**{"#date+month": "03/2026"}),  # 4
        _line(**{"#adm1+code": "PE-XXX"}),  # 5
        _line(**{"#reached+f+adults": 6}),  # 6: 3 + 6 != 10
        _line(**{"#reached+new": 11, "#reached+new+f+adults": 10}),  # 7: new > total
        _line(**{"#reached+total": -1}),  # 8
        _line(**{"#sector": "wash"}),  # 9
        _line(**{"#population+type": "tourists"}),  # 10
        _line(**{"#adm2+code": "EC170150"}),  # 11
        _line(**{"#org+impl": "HIAS"}),  # 12
        _line(**{"#date+month": "2026-04"}),  # 13: April has not ended
        _line(),  # 14: the same as line 3
        _line(**{"#adm2+code": "PE150101", "#sector": "protection"}),  # 15: right
    )
    response = _upload(client, content)
    assert response.status_code == 400
    issues = response.context["result"].issues
    assert sorted({issue.line for issue in issues}) == list(range(4, 15))
    reasons: dict[int, list[str]] = {}
    for issue in issues:
        reasons.setdefault(issue.line, []).append(issue.reason)
    duplicate = (
        "The same month, place, sector, population type and indicator are already on line 3."
    )
    assert reasons == {
        4: ["“03/2026” is not a month: use YYYY-MM (for example 2026-03)."],
        5: ["Unknown admin1 code “PE-XXX”: use a code of the gazetteer (e.g. PE-LIM)."],
        6: ["Girls, boys, women, men and other add up to 9, not to the total 10.", duplicate],
        7: [
            "New beneficiaries (11) cannot be more than the total (10).",
            "More new people than people reached in the same group.",
            duplicate,
        ],
        8: ["“-1” is not a whole number of people (0 or more).", duplicate],
        9: [
            "Unknown sector “wash”: use one of protection_gbv, protection, child_protection, "
            "health_mhpss, integration, education."
        ],
        10: [
            "Unknown population type “tourists”: use one of in_destination, in_transit, "
            "pendular, returnee, host."
        ],
        11: ["Unknown admin2 code “EC170150”: use a P-code of the gazetteer."],
        12: ["“HIAS” is not your organization: import your own rows only.", duplicate],
        13: ["2026-04 has not ended yet: submit it once it is over."],
        14: [duplicate],
    }
    assert not FiveWSubmission.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="measure.fivew_").exists()


def test_import_messages_are_translated(client: Any, world: Any, login: Any, clock: Any) -> None:
    from django.utils import translation

    with translation.override("es"):
        login(world.user("agency_admin.care"))
        response = _upload(client, _csv(_line(**{"#reached+total": "diez"})))
    body = response.content.decode()
    assert response.status_code == 400
    assert "«diez» no es un número entero de personas (0 o más)." in body
    assert "Se encontró 1 problema; no se importó nada." in body
    assert not FiveWSubmission.objects.exists()


def test_a_missing_hashtag_row_or_column_is_one_clear_problem(
    client: Any, world: Any, login: Any, clock: Any
) -> None:
    login(world.user("agency_admin.care"))
    no_tags = b"Month,Admin 1 code\n2026-03,PE-LIM\n"
    response = _upload(client, no_tags)
    [issue] = response.context["result"].issues
    assert (issue.line, issue.reason[:40]) == (2, "The second line must hold the HXL hashta")
    missing = b"Month,Admin 1 code\n#date+month,#adm1+code\n2026-03,PE-LIM\n"
    [issue] = _upload(client, missing).context["result"].issues
    assert issue.reason == "Missing column(s): #sector, #reached+total, #reached+new."
    assert not FiveWSubmission.objects.exists()


def test_an_imported_xlsx_becomes_a_version_and_a_reimport_is_a_correction(
    client: Any, world: Any, login: Any, clock: Any
) -> None:
    login(world.user("agency_admin.care"))
    book = Workbook()
    sheet: Any = book.active
    sheet.append([c.header for c in fivew.columns()])
    # Attributes in another order and spaces still name the same columns.
    sheet.append([tag.replace("+f+children", "+children+f") for tag in HEADER])
    row: list[Any] = _line()
    for index, tag in enumerate(HEADER):
        if tag.startswith("#reached") and row[index]:
            row[index] = int(row[index])  # numbers typed as numbers
    sheet.append(row)
    content = workbook_bytes(book)
    assert _upload(client, content, "5w.xlsx").status_code == 302
    submission = FiveWSubmission.objects.get()
    assert (submission.version, submission.source) == (1, SubmissionSource.IMPORT)
    [snapshot] = submission.rows
    assert snapshot["#reached+f+children"] == 3 and snapshot["#org+prog"] == "UNHCR"
    assert snapshot["#org+impl"] == "CARE" and snapshot["#adm1+code"] == "PE-LIM"

    again = _upload(client, content, "5w.xlsx")
    assert again.status_code == 400
    [issue] = again.context["result"].issues
    assert (issue.line, issue.reason) == (
        3,
        "2026-03 is already submitted: a correction needs a reason.",
    )
    assert _upload(client, content, "5w.xlsx", reason="Figures checked again").status_code == 302
    assert list(FiveWSubmission.objects.order_by("version").values_list("version", "source")) == [
        (1, "import"),
        (2, "import"),
    ]


def test_the_live_5w_download_imports_back_as_it_is(
    client: Any, world: Any, login: Any, march: Any
) -> None:
    login(world.user("agency_admin.care"))
    download = client.get(reverse("measure:fivew_download", args=["csv"]), {"month": "2026-03"})
    assert _upload(client, download.content).status_code == 302
    submission = FiveWSubmission.objects.get()
    assert _totals(submission.rows) == [5]
    assert submission.rows[0]["#reached+new+f+children"] == 2


# --- Consolidation -------------------------------------------------------------------------


def _parse(content: bytes, tmp_path: Path, suffix: str) -> list[Any]:
    path = tmp_path / f"consolidated{suffix}"
    path.write_bytes(content)
    return list(hxl.data(str(path), hxl.InputOptions(allow_local=True)))


def test_the_consolidated_5w_holds_the_latest_submitted_versions_and_reads_in_libhxl(
    client: Any, world: Any, login: Any, march: Any, tmp_path: Path
) -> None:
    login(world.user("agency_admin.care"))
    client.post(month_url())
    _add_march_session(march, 20, 4)
    client.post(month_url(), {"reason": "Late sheet"})
    # HIAS has not submitted: its live rows stay out of the consolidated 5W.
    login(world.user("coordinator"))
    page = client.get(reverse("measure:fivew_consolidated"), {"month": "2026-03"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "corrected v2" in body and "not submitted" in body
    assert "1 row in the consolidated 5W." in body
    url = reverse("measure:fivew_consolidated_download", args=["csv"])
    csv_rows = _parse(client.get(url, {"month": "2026-03"}).content, tmp_path, ".csv")
    assert [(r.get("#org+impl"), r.get("#reached+total")) for r in csv_rows] == [("CARE", "9")]
    assert csv_rows[0].get("#reached+m+adults") == "4"
    assert csv_rows[0].get("#adm1+name") == "Lima"
    xlsx = client.get(
        reverse("measure:fivew_consolidated_download", args=["xlsx"]), {"month": "2026-03"}
    )
    xlsx_rows = _parse(xlsx.content, tmp_path, ".xlsx")
    assert [str(r.get("#reached+new")) for r in xlsx_rows] == ["9"]
    event = AuditEvent.objects.get(
        action="measure.fivew_consolidated_exported", details__format="csv"
    )
    assert event.details == {"month": "2026-03", "format": "csv", "rows": 1}
    # HIAS submits too: both are consolidated, ordered by organization.
    login(world.user("agency_admin.hias"))
    client.post(month_url())
    login(world.user("coordinator"))
    both = _parse(client.get(url, {"month": "2026-03"}).content, tmp_path, ".csv")
    assert [r.get("#org+impl") for r in both] == ["CARE", "HIAS"]


# --- API -----------------------------------------------------------------------------------


def test_the_api_scopes_by_organization_and_carries_no_person(
    client: Any, world: Any, login: Any, march: Any
) -> None:
    login(world.user("agency_admin.care"))
    client.post(month_url())
    data = client.get(api(), {"month": "2026-03"}).json()
    assert [part["name"] for part in data["organizations"]] == ["CARE"]
    assert {k: v for k, v in data["columns"][11].items() if k != "header"} == {
        "key": "total",
        "hxl": "#reached+total",
    }
    text = str(data)
    assert "Agency_Admin" not in text and "@" not in text
    login(world.user("coordinator"))
    names = [p["name"] for p in client.get(api(), {"month": "2026-03"}).json()["organizations"]]
    assert names == ["CARE", "HIAS"]
    assert client.get(api(), {"month": "March"}).status_code == 400
    login(world.user("caseworker.care"))
    assert client.get(api(), {"month": "2026-03"}).status_code == 403


def test_the_api_answers_a_token(client: Any, world: Any, march: Any) -> None:
    from ruta.accounts.actions import issue_api_token

    analyst = world.user("analyst")
    key = issue_api_token(analyst, None)
    response = client.get(api(), {"month": "2026-03"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert {p["status"] for p in response.json()["organizations"]} == {"draft"}


def test_the_api_is_in_the_openapi_schema(client: Any) -> None:
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/reports/5w/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["month"]


def test_the_months_page_goes_to_any_month_and_pages_keep_their_query_count(
    client: Any, world: Any, login: Any, march: Any, django_assert_max_num_queries: Any
) -> None:
    login(world.user("agency_admin.care"))
    response = client.get(reverse("measure:fivew_months"), {"month": "2025-11"})
    assert response.status_code == 302
    assert response["Location"] == reverse("measure:fivew_month", kwargs={"month": "2025-11"})
    client.post(month_url())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("measure:fivew_months")).status_code == 200
    login(world.user("agency_admin.hias"))
    client.post(month_url())
    login(world.user("coordinator"))
    url = reverse("measure:fivew_consolidated")
    with django_assert_max_num_queries(14):
        assert client.get(url, {"month": "2026-03"}).status_code == 200
    assert (
        client.get(reverse("measure:fivew_month", kwargs={"month": "1999-12"})).status_code == 404
    )
    assert (
        client.get(reverse("measure:fivew_month", kwargs={"month": "2026-13"})).status_code == 404
    )


def test_an_imported_month_is_an_import_in_the_api(
    client: Any, world: Any, login: Any, clock: Any
) -> None:
    login(world.user("agency_admin.care"))
    assert _upload(client, _csv(_line())).status_code == 302
    [part] = client.get(api(), {"month": "2026-03"}).json()["organizations"]
    assert (part["status"], part["origin"], part["version"]) == ("submitted", "import", 1)
    [row] = part["rows"]
    assert (row["total"], row["new"], row["girls"], row["women"], row["new_women"]) == (
        10,
        4,
        3,
        7,
        3,
    )
    assert row["appealing_organization"] == "UNHCR" and row["not_deduplicated_pct"] is None


def test_a_version_number_taken_meanwhile_is_a_clear_error(
    world: Any, march: Any, monkeypatch: Any
) -> None:
    """Two people submitting at once: the second finds the number taken (the unique
    constraint), gets a message and nothing half-written."""
    admin = world.user("agency_admin.care")
    submissions.submit(admin, MARCH)

    class Stale:
        """What the other person's transaction read: the month before its first version."""

        def order_by(self, *_args: Any) -> Stale:
            return self

        def first(self) -> None:
            return None

    monkeypatch.setattr(FiveWSubmission.objects, "filter", lambda *a, **k: Stale())
    with pytest.raises(submissions.SubmissionError, match="at the same time"):
        submissions.submit(admin, MARCH)
    monkeypatch.undo()
    assert list(FiveWSubmission.objects.values_list("version", flat=True)) == [1]
    assert AuditEvent.objects.filter(action="measure.fivew_submitted").count() == 1


# --- The page's rows ---------------------------------------------------------------------


def test_the_page_builds_only_the_rows_it_shows(
    client: Any, world: Any, login: Any, march: Any
) -> None:
    """``ReportRows`` gives, for any slice, what the whole report gave (submitted snapshots
    and live drafts, ordered by organization); the cells are written by ``{% table_rows %}``
    as ``{{ value }}`` wrote them (ruta/ui/tests/test_table_rows.py)."""
    login(world.user("agency_admin.care"))
    client.post(month_url())  # CARE submitted; HIAS stays a live draft
    for day, men in ((11, 2), (12, 3)):
        _add_march_session(march, day, men)  # live rows change, the snapshot does not
    everyone = None
    whole = submissions.as_lists(
        [row for part in submissions.report(MARCH, everyone) for row in part.rows]
    )
    lazy = submissions.ReportRows(MARCH, everyone)
    assert len(lazy) == len(whole) >= 2
    assert lazy[:] == whole
    for start in range(len(whole)):
        for stop in range(start, len(whole) + 1):
            assert lazy[start:stop] == whole[start:stop]
    assert lazy[-1] == whole[-1] and lazy[0] == whole[0]
    assert [row[0] for row in whole] == sorted(row[0] for row in whole)  # CARE, then HIAS
    page = client.get(reverse("measure:fivew"), {"month": "2026-03"}).content.decode()
    assert "<td>CARE</td>" in page
