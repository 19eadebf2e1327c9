"""Cells that stay data: nothing a CSV or XLSX export holds runs as a formula when opened.

A spreadsheet reads a cell starting with ``= + - @``, a tab or a carriage return as a
formula (CSV/formula injection): a service name ``=HYPERLINK(...)`` in a public export
would become a live link on a coordinator's computer. Every CSV and XLSX writer passes its
values through ``safe_value``/``safe_row``, or saves its workbook with ``workbook_bytes``,
which also writes every XLSX string as text, never as a formula. Values that are plainly
numbers or phone numbers (``-3.5``, ``+51 900 000 000``) are left as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[0-9 +\-().|/]*")


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS) and not _NUMBER_LIKE.fullmatch(value)


def safe_text(value: str) -> str:
    """``value``, with a leading apostrophe when a spreadsheet would run it."""
    return f"'{value}" if is_formula_like(value) else value


def safe_value(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_value(value) for value in values]


def csv_response(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], filename: str
) -> HttpResponse:
    """A CSV download: UTF-8 with its mark (spreadsheets then read the accents), every cell
    through ``safe_row``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def unescape(value: str) -> str:
    """What ``safe_text`` was given: for reading back Ruta's own exports."""
    if value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def workbook_bytes(book: Any) -> bytes:
    """Save an openpyxl workbook (not write-only) with every string cell safe and typed as
    text: a formula never reaches the file, whichever code path wrote the cell."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = safe_text(cell.value)
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
