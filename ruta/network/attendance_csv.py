"""Reading the attendance report of a video-call tool (Zoom, Google Meet, Teams) as rows.

Parsing only: every row is checked and every bad one reported with its line number;
``actions.import_attendance`` writes nothing unless all rows are good. Header names vary
by tool and language, so columns are recognised by a list of aliases; a summary block
before the participants' table (Teams) is skipped until a header row is found.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.strip().strip('"').lower().replace("_", " ").split())


ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "name (original name)",
        "participant",
        "participant name",
        "display name",
        "nombre",
        "nombre completo",
        "nombre (nombre original)",
        "participante",
        "nombre del participante",
    ),
    "first_name": ("first name", "given name", "nombre de pila", "nombres"),
    "last_name": ("last name", "surname", "family name", "apellido", "apellidos"),
    "email": (
        "email",
        "e-mail",
        "email address",
        "user email",
        "participant email",
        "correo",
        "correo electronico",
        "correo del usuario",
        "direccion de correo electronico",
    ),
    "organization": (
        "organization",
        "organisation",
        "institution",
        "company",
        "organizacion",
        "institucion",
        "empresa",
    ),
    "joined": (
        "join time",
        "time joined",
        "joined",
        "first join",
        "first seen",
        "hora de entrada",
        "hora de ingreso",
        "hora de union",
        "primera union",
        "hora a la que se unio",
    ),
}
_LOOKUP = {alias: column for column, aliases in ALIASES.items() for alias in aliases}

DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y, %H:%M:%S",
)
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")


@dataclass
class AttendanceRow:
    line: int
    name: str
    email: str
    organization: str
    joined_at: dt.datetime


@dataclass
class ParsedAttendance:
    rows: list[AttendanceRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def _header(row: list[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        column = _LOOKUP.get(_key(cell))
        if column and column not in columns:
            columns[column] = index
    has_name = "name" in columns or ("first_name" in columns and "last_name" in columns)
    return columns if has_name or "email" in columns else None


def _parse_when(value: str, default: dt.datetime) -> dt.datetime | None:
    value = " ".join(value.strip().split())
    if not value:
        return default
    tz = timezone.get_current_timezone()
    try:
        parsed = dt.datetime.fromisoformat(value)
        return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=tz)
    except ValueError:
        pass
    for fmt in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    day = timezone.localtime(default).date()
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.combine(day, dt.datetime.strptime(value, fmt).time(), tzinfo=tz)
        except ValueError:
            continue
    return None


def parse_attendance(data: bytes, meeting_start: dt.datetime) -> ParsedAttendance:
    """Rows of an attendance report; ``errors`` lists (line number, message) pairs."""
    result = ParsedAttendance()
    if len(data) > MAX_BYTES:
        result.errors.append((0, _("The file is larger than 2 MB.")))
        return result
    text = _decode(data)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    columns: dict[str, int] | None = None
    seen_emails: set[str] = set()
    for line, row in enumerate(reader, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns = _header(row)
            continue
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            result.errors.append((line, _("Too many rows: at most %(n)s.") % {"n": MAX_ROWS}))
            break

        def cell(name: str, row: list[str] = row, columns: dict[str, int] = columns) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        name = cell("name") or " ".join(p for p in (cell("first_name"), cell("last_name")) if p)
        email = cell("email").lower()
        problems: list[str] = []
        if not name and not email:
            problems.append(_("The row has neither a name nor an e-mail."))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("“%(value)s” is not a valid e-mail address.") % {"value": email})
        joined = _parse_when(cell("joined"), meeting_start)
        if joined is None:
            problems.append(
                _("“%(value)s” is not a date and time we can read.") % {"value": cell("joined")}
            )
        if len(name) > 200:
            problems.append(_("The name is longer than 200 characters."))
        if problems:
            result.errors.append((line, " ".join(problems)))
            continue
        if email and email in seen_emails:
            continue  # the same person reconnected: one attendance
        if email:
            seen_emails.add(email)
        assert joined is not None
        result.rows.append(
            AttendanceRow(
                line=line,
                name=name or email,
                email=email,
                organization=cell("organization")[:200],
                joined_at=joined,
            )
        )
    if columns is None:
        result.errors.append(
            (1, _("No header row found: the file needs a name or an e-mail column."))
        )
    elif not result.rows and not result.errors:
        result.errors.append((1, _("The file has no participants.")))
    return result
