"""Import an attendance sheet (CSV or XLSX) for one activity: one line per person and
session, with the participant's code, the session date, sex and age group, population type
and, optionally, LGBTIQ+, disability and a name (stored encrypted).

Every row is checked first; if any row is wrong, every wrong row is reported with its line
number and nothing is written. Headers may be in Spanish or English. XLSX files are
checked for upload bombs before they are opened (``ruta.lib.archives``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ruta.activities import actions
from ruta.activities.models import Activity, PopulationType, Session, SexAge
from ruta.lib import tables
from ruta.lib.issues import Issue
from ruta.lib.text import fold

if TYPE_CHECKING:
    from ruta.accounts.models import User

MAX_ROWS = 5000


def _key(text: Any) -> str:
    return "".join(ch for ch in fold(str(text or "")) if ch.isalnum())


HEADERS: dict[str, set[str]] = {
    "code": {"code", "codigo", "participantcode", "codigoparticipante", "card", "carne"},
    "date": {"date", "fecha", "sessiondate", "fechasesion", "fechadelasesion"},
    "sex_age": {"sexage", "sexandage", "sexoyedad", "sexoedad", "group", "grupo"},
    "population_type": {"populationtype", "population", "tipodepoblacion", "poblacion"},
    "lgbtiq": {"lgbtiq", "lgbti"},
    "disability": {"disability", "discapacidad"},
    "name": {"name", "nombre", "fullname", "nombrecompleto"},
}
REQUIRED = ("code", "date", "sex_age", "population_type")

SEX_AGE: dict[str, str] = {
    **dict.fromkeys(["girl", "girls", "nina", "ninas"], SexAge.GIRL),
    **dict.fromkeys(["boy", "boys", "nino", "ninos"], SexAge.BOY),
    **dict.fromkeys(["woman", "women", "mujer", "mujeres"], SexAge.WOMAN),
    **dict.fromkeys(["man", "men", "hombre", "hombres"], SexAge.MAN),
    **dict.fromkeys(["other", "otro", "otra", "otros", "nd"], SexAge.OTHER),
}
POPULATION: dict[str, str] = {
    **dict.fromkeys(["indestination", "destino", "endestino"], PopulationType.IN_DESTINATION),
    **dict.fromkeys(["intransit", "transito", "entransito"], PopulationType.IN_TRANSIT),
    **dict.fromkeys(["pendular", "pendulares"], PopulationType.PENDULAR),
    **dict.fromkeys(
        ["returnee", "returnees", "retornado", "retornados", "colombianreturnee"],
        PopulationType.RETURNEE,
    ),
    **dict.fromkeys(
        ["host", "hostcommunity", "comunidaddeacogida", "acogida"],
        PopulationType.HOST,
    ),
}
YES_NO: dict[str, bool] = {
    **dict.fromkeys(["", "no", "n", "0", "false", "falso"], False),
    **dict.fromkeys(["yes", "y", "si", "s", "1", "true", "verdadero", "x"], True),
}


class ImportFileError(actions.ActivityError):
    """The file as a whole cannot be read (not a line-level problem)."""


@dataclass
class Row:
    line: int
    code: str
    session: Session
    fields: dict[str, Any]


@dataclass
class ImportResult:
    rows: list[Row] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    recorded: int = 0
    new_people: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


def read_table(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty line, header first."""
    try:
        return tables.read_table(name, content, max_rows=MAX_ROWS)
    except tables.TableError as error:
        raise ImportFileError(str(error)) from error


def _date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def check_rows(lines: list[tuple[int, list[str]]], activity: Activity, file: str) -> ImportResult:
    result = ImportResult()

    def issue(line: int, column: str, reason: str) -> Issue:
        return Issue(file, line, column, reason)

    if not lines:
        result.issues.append(issue(1, "", _("The file is empty.")))
        return result
    header_line, header = lines[0]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        for column, names in HEADERS.items():
            if _key(title) in names and column not in columns:
                columns[column] = index
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        result.issues.append(
            issue(
                header_line,
                ", ".join(missing),
                _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
        return result
    if len(lines) - 1 > MAX_ROWS:
        result.issues.append(
            issue(header_line, "", _("At most %(max)s rows per file.") % {"max": MAX_ROWS})
        )
        return result
    sessions = {session.date: session for session in activity.sessions.all()}
    seen: dict[tuple[str, dt.date], int] = {}

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for line, cells in lines[1:]:
        problems: list[Issue] = []
        code = "".join(cell(cells, "code").split()).upper()
        if not code:
            problems.append(issue(line, "code", _("The participant code is empty.")))
        elif len(code) > 100:
            problems.append(issue(line, "code", _("The code is longer than 100 characters.")))
        date_text = cell(cells, "date")
        date = _date(date_text)
        session = sessions.get(date) if date else None
        if date is None:
            problems.append(
                issue(
                    line,
                    "date",
                    _("“%(value)s” is not a date (use YYYY-MM-DD or DD/MM/YYYY).")
                    % {"value": date_text},
                )
            )
        elif session is None:
            problems.append(
                issue(
                    line,
                    "date",
                    _("The activity has no session on %(date)s: add the session first.")
                    % {"date": date.isoformat()},
                )
            )
        elif code:
            if (code, date) in seen:
                problems.append(
                    issue(
                        line,
                        "code",
                        _("This code and date are already on line %(line)s.")
                        % {"line": seen[(code, date)]},
                    )
                )
            seen.setdefault((code, date), line)
        sex_age = SEX_AGE.get(_key(cell(cells, "sex_age")))
        if sex_age is None:
            problems.append(
                issue(
                    line,
                    "sex_age",
                    _("Unknown group “%(value)s”: use girl, boy, woman, man or other.")
                    % {"value": cell(cells, "sex_age")},
                )
            )
        population = POPULATION.get(_key(cell(cells, "population_type")))
        if population is None:
            problems.append(
                issue(
                    line,
                    "population_type",
                    _(
                        "Unknown population type “%(value)s”: use in destination, in "
                        "transit, pendular, returnee or host."
                    )
                    % {"value": cell(cells, "population_type")},
                )
            )
        flags: dict[str, bool] = {}
        for column in ("lgbtiq", "disability"):
            value = YES_NO.get(_key(cell(cells, column)))
            if value is None:
                problems.append(issue(line, column, _("Use yes or no (or leave it empty).")))
            flags[column] = bool(value)
        name = " ".join(cell(cells, "name").split())
        if len(name) > 200:
            problems.append(issue(line, "name", _("The name is longer than 200 characters.")))
        if problems or session is None:
            result.issues += problems
            continue
        result.rows.append(
            Row(
                line,
                code,
                session,
                {
                    "sex_age": sex_age,
                    "population_type": population,
                    "name": name,
                    **flags,
                },
            )
        )
    if not result.rows and not result.issues:
        result.issues.append(issue(header_line, "", _("The file has no rows below the header.")))
    return result


def import_attendance(
    actor: User, activity: Activity, file_name: str, content: bytes
) -> ImportResult:
    """Check every row; record them all in one transaction only if none is wrong."""
    actions.require_own(actor, activity)
    result = check_rows(read_table(file_name, content), activity, file_name)
    if not result.ok:
        return result
    with transaction.atomic():
        for row in result.rows:
            _participant, new = actions.record_attendance(actor, row.session, row.code, row.fields)
            result.recorded += 1
            result.new_people += int(new)
        actions.audit_event(
            "activity.attendance_imported",
            actor,
            activity,
            rows=len(result.rows),
            new_people=result.new_people,
        )
    return result
