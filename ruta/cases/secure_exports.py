"""Case data leaves Ruta only as secure exports (``ruta.exports``): made in the background,
encrypted at rest, downloadable by the person who asked, until they expire.

Two kinds, registered in ``hooks.py``:

- ``case_list`` — a supervisor's list of every case of the agency (CSV or XLSX): code,
  type, status, stage, risk, caseworker, supervisor, dates and coded, non-identifying
  fields. No names, contacts, documents or narratives: a list is for managing the
  caseload; a person's identity stays inside their case.
- ``survivor_record`` — the survivor's own record as a PDF in their language, encrypted
  with a one-time password that the supervisor gives them separately (see
  ``survivor_record.py`` for what it holds and what it leaves out).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.audit.actions import record
from ruta.cases.access import CASE_LIST_READ, visible_cases
from ruta.cases.models import Case
from ruta.exports.models import SecureExport
from ruta.exports.registry import ExportRefused, Produced, Producer
from ruta.lib.permissions import Cap, user_can
from ruta.lib.sheets import safe_row, workbook_bytes

CASE_LIST = "case_list"
FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _person(user: Any) -> str:
    return (user.full_name or user.email) if user else ""


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


def case_list_rows(cases: list[Case]) -> list[list[Any]]:
    header = [
        _("Case code"),
        _("Case type"),
        _("Status"),
        _("Stage"),
        _("Risk level"),
        _("Caseworker"),
        _("Supervisor"),
        _("Opened on"),
        _("Closed on"),
        _("Next contact"),
        _("Next action due"),
        _("Sex"),
        _("Gender identity"),
        _("Age band"),
        _("Nationality"),
        _("Population type"),
        _("Person with disability"),
        _("Region"),
    ]
    rows: list[list[Any]] = [header]
    for case in cases:
        client = case.client
        rows.append(
            safe_row(
                [
                    case.code,
                    case.get_case_type_display(),
                    case.get_status_display(),
                    case.get_stage_display(),
                    case.get_risk_level_display(),
                    _person(case.caseworker),
                    _person(case.supervisor),
                    _date(case.opened_on),
                    _date(case.closed_on),
                    _date(case.next_contact_on),
                    _date(case.next_action_due_on),
                    client.get_sex_display(),
                    client.get_gender_identity_display(),
                    client.get_age_band_display(),
                    client.nationality,
                    client.get_population_type_display(),
                    _yes_no(client.has_disability),
                    client.admin1,
                ]
            )
        )
    return rows


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = _("Cases")[:31]
    for row in rows:
        sheet.append(row)
    return workbook_bytes(book)


def produce_case_list(export: SecureExport, params: dict[str, Any]) -> Produced:
    owner = export.owner
    if not user_can(owner, Cap.SUPERVISE_CASES):
        raise ExportRefused("not a supervisor any more")
    cases = list(
        visible_cases(owner)
        .select_related("client", "caseworker", "supervisor")
        .defer("risk_reason")
        .order_by("opened_on", "id")
    )
    record(
        CASE_LIST_READ,
        actor=owner,
        obj=export,
        organization=export.organization,
        details={
            "what": "case_list_export",
            "count": len(cases),
            "cases": sorted(str(case.uuid) for case in cases),
        },
    )
    rows = case_list_rows(cases)
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    shown = tuple(str(case.uuid) for case in cases)
    if params.get("format") == "xlsx":
        return Produced(_xlsx(rows), f"ruta-cases-{stamp}.xlsx", XLSX, cases=shown)
    return Produced(_csv(rows), f"ruta-cases-{stamp}.csv", "text/csv; charset=utf-8", shown)


CASE_LIST_PRODUCER = Producer(
    kind=CASE_LIST,
    label=gettext_lazy("Case list"),
    produce=produce_case_list,
    capability=Cap.SUPERVISE_CASES,
)
