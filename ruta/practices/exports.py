"""The catalogue's selection as a spreadsheet (one row per practice) and as a PDF
(one sheet per practice in the template's order), in the current language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ruta.lib.sheets import workbook_bytes
from ruta.practices.models import Practice, current_language
from ruta.practices.sheet import practice_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINT_CSS = "ruta/practices-print.css"


def filename(extension: str) -> str:
    stamp = timezone.localdate().isoformat()
    name = "buenas-practicas" if current_language() == "es" else "good-practices"
    return f"{name}-{stamp}.{extension}"


def _published(practice: Practice) -> str:
    if practice.published_at is None:
        return ""
    return date_format(timezone.localtime(practice.published_at).date(), "SHORT_DATE_FORMAT")


def practices_xlsx(practices: list[Practice]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Good practices")[:31]
    headers = [_("Code"), _("Title"), _("Illustrative"), _("Published"), _("Link")]
    keys: list[str] = []
    # The template's columns come from a practice's sheet; an empty selection has none.
    for section in practice_sheet(practices[0]) if practices else []:
        for item in section.items:
            headers.append(item.label)
            keys.append(item.key)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for practice in practices:
        items = {item.key: item.flat for s in practice_sheet(practice) for item in s.items}
        row: list[Any] = [
            practice.code,
            practice.title,
            _("Yes") if practice.illustrative else _("No"),
            _published(practice),
            practice.get_absolute_url(),
        ]
        for key in keys:
            if key == "people_reached":
                row.append(practice.people_reached)
            else:
                row.append(items.get(key, ""))
        sheet.append(row)
    for index, _header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index <= 4 else 40
    sheet.freeze_panes = "C2"
    return workbook_bytes(book)


def _print_css() -> str:
    path = finders.find(PRINT_CSS)
    if not path:
        from django.contrib.staticfiles.storage import staticfiles_storage

        path = staticfiles_storage.path(PRINT_CSS)
    return Path(str(path)).read_text(encoding="utf-8")


def practices_html(practices: list[Practice]) -> str:
    return render_to_string(
        "practices/print.html",
        {
            "entries": [
                {"practice": p, "sheet": practice_sheet(p), "published": _published(p)}
                for p in practices
            ],
            "generated": date_format(timezone.localdate(), "DATE_FORMAT"),
            "LANGUAGE_CODE": current_language(),
        },
    )


def practices_pdf(practices: list[Practice]) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Self-contained: nothing is fetched (no network, no files).
    no_fetch = URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=practices_html(practices), url_fetcher=no_fetch)
    result: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=_print_css())])
    return result
