"""Read an uploaded list (CSV or XLSX) as numbered lines of text cells, within limits.

The imports that take a sheet of people (trainings' enrolments, activities' attendance)
read it here, then check its lines themselves. Reading stops one line past ``max_rows``:
enough for the caller to say the file is over the limit without holding all of it. An
XLSX is checked as an archive before openpyxl opens it (``check_workbook``: declared and
actual sizes) and is read in read-only mode, at most ``10 * max_rows`` sheet rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext as _

from ruta.lib.archives import ArchiveError, check_workbook

Lines = list[tuple[int, list[str]]]

XLSX_MAX_UNPACKED = 32 * 1024 * 1024


class TableError(ValueError):
    """The file as a whole cannot be read; ``str(error)`` is a message for the person."""


def read_table(name: str, content: bytes, *, max_rows: int) -> Lines:
    """(line number, cells) of every non-empty line, header first."""
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(content, max_rows)
    return _read_csv(content, max_rows)


def _read_csv(content: bytes, max_rows: int) -> Lines:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise TableError(_("The file is not readable text (use UTF-8)."))
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=max((";", ",", "\t"), key=first.count))
    lines: Lines = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                lines.append((reader.line_num, [c.strip() for c in cells]))
            if len(lines) > max_rows + 1:
                break  # enough to say the file is over the limit
    except csv.Error as error:
        raise TableError(
            _("The CSV file is malformed near line %(line)s.") % {"line": reader.line_num}
        ) from error
    return lines


def _read_xlsx(content: bytes, max_rows: int) -> Lines:
    from openpyxl import load_workbook

    try:
        check_workbook(content, max_total=XLSX_MAX_UNPACKED)
    except ArchiveError as error:
        raise TableError(str(error)) from error
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise TableError(_("The file is not a readable XLSX workbook.")) from error
    sheet: Any = book.worksheets[0]
    lines: Lines = []
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if any(cells):
                lines.append((number, cells))
            if len(lines) > max_rows + 1 or number >= 10 * max_rows:
                break  # enough to say the file is over the limit; the rest is not read
    except Exception as error:  # a damaged sheet inside a sound archive
        raise TableError(_("The file is not a readable XLSX workbook.")) from error
    finally:
        book.close()
    return lines


def _cell_text(value: Any) -> str:
    """A cell as the person typed it: a date cell as its ISO date, not a timestamp."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
