"""Import the 5W of an organization that keeps its own spreadsheet (CSV or XLSX).

The file has the columns of the 5W download: a header line, then the HXL hashtags
(``#date+month``, ``#adm1+code``, ``#sector``, ``#reached+total``…), then one line per
row. Columns are found by their hashtag, so the headers may be in any language and the
order is free; unknown columns are ignored. Each row is checked: the month (``YYYY-MM``,
ended), admin1/admin2 codes known to the gazetteer, sector and population type codes,
non-negative whole numbers, the sex/age breakdowns adding up to their totals and new
beneficiaries not above the total. If any row is wrong, every wrong row is reported with
its line number and nothing is saved; otherwise each month in the file becomes the next
submission version of the importing organization (source: import).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ruta.activities.models import PopulationType, Sector
from ruta.lib import tables
from ruta.lib.issues import Issue
from ruta.lib.sheets import unescape
from ruta.lib.text import fold
from ruta.measure import fivew, submissions
from ruta.measure.fivew_models import FiveWSubmission
from ruta.measure.registry import SexAge
from ruta.places.lookup import AreaLookup

if TYPE_CHECKING:
    from ruta.accounts.models import User

MAX_ROWS = 5000
MAX_COUNT = 10_000_000

MONTHLY = [f"#reached{fivew.GROUP_TAGS[group]}" for group in SexAge.ALL]
NEW = [f"#reached+new{fivew.GROUP_TAGS[group]}" for group in SexAge.ALL]
COUNTS = ["#reached+total", "#reached+new", *MONTHLY, *NEW, "#reached+lgbtiq", "#reached+disabled"]
REQUIRED = ("#date+month", "#adm1+code", "#sector", "#reached+total", "#reached+new")
YES = {"yes", "y", "si", "s", "true", "verdadero", "1", "x"}
NO = {"", "no", "n", "false", "falso", "0"}
WHOLE = re.compile(r"^\d+(\.0+)?$")


def normal_tag(text: str) -> str:
    """A hashtag with its attributes in a fixed order (``#reached+children+f`` is
    ``#reached+f+children``), lower case, so any order the file uses matches."""
    parts = [part for part in "".join(text.lower().split()).split("+") if part]
    if not parts or not parts[0].startswith("#"):
        return ""
    return "+".join([parts[0], *sorted(parts[1:])])


KNOWN = {normal_tag(tag): tag for tag in submissions.tags()}


class ImportFileError(submissions.SubmissionError):
    """The file as a whole cannot be read (not a line-level problem)."""


@dataclass
class ImportResult:
    rows: dict[dt.date, list[dict[str, Any]]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    first_lines: dict[dt.date, int] = field(default_factory=dict)
    submissions: list[FiveWSubmission] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def _month(text: str) -> dt.date | None:
    """``YYYY-MM`` (or a spreadsheet date cell of the first of the month)."""
    for pattern in ("%Y-%m", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if day.day == 1 else None
    return None


def _hashtag_line(lines: tables.Lines) -> int | None:
    """The index of the hashtag line among the first two lines, or None."""
    for index, (_line, cells) in enumerate(lines[:2]):
        filled = [cell for cell in cells if cell.strip()]
        if filled and all(cell.strip().startswith("#") for cell in filled):
            return index
    return None


def check_rows(lines: tables.Lines, actor: User, file: str) -> ImportResult:
    result = ImportResult()
    organization = actor.organization

    def issue(line: int, column: str, reason: str) -> Issue:
        return Issue(file, line, column, reason)

    if not lines:
        result.issues.append(issue(1, "", _("The file is empty.")))
        return result
    tag_index = _hashtag_line(lines)
    if tag_index is None:
        line = lines[1][0] if len(lines) > 1 else lines[0][0]
        result.issues.append(
            issue(
                line,
                "",
                _(
                    "The second line must hold the HXL hashtags (#date+month, #adm1+code, "
                    "#sector…), as in the 5W download."
                ),
            )
        )
        return result
    tag_line, tag_cells = lines[tag_index]
    columns: dict[str, int] = {}
    for index, text in enumerate(tag_cells):
        tag = KNOWN.get(normal_tag(text))
        if tag and tag not in columns:
            columns[tag] = index
    missing = [tag for tag in REQUIRED if tag not in columns]
    if missing:
        result.issues.append(
            issue(
                tag_line,
                ", ".join(missing),
                _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
        return result
    body = lines[tag_index + 1 :]
    if len(body) > MAX_ROWS:
        result.issues.append(
            issue(tag_line, "", _("At most %(max)s rows per file.") % {"max": MAX_ROWS})
        )
        return result
    if not body:
        result.issues.append(issue(tag_line, "", _("The file has no rows below the hashtags.")))
        return result

    def cell(cells: list[str], tag: str) -> str:
        index = columns.get(tag)
        return unescape(cells[index].strip()) if index is not None and index < len(cells) else ""

    areas = AreaLookup()
    own = {fold(organization.name), fold(organization.acronym)} - {""} if organization else set()
    label = (organization.acronym or organization.name) if organization else ""
    seen: dict[tuple[Any, ...], int] = {}
    for line, cells in body:
        problems: list[Issue] = []

        def problem(
            tag: str, reason: str, line: int = line, problems: list[Issue] = problems
        ) -> None:
            problems.append(issue(line, tag, reason))

        month_text = cell(cells, "#date+month")
        month = _month(month_text)
        if month is None:
            problem(
                "#date+month",
                _("“%(value)s” is not a month: use YYYY-MM (for example 2026-03).")
                % {"value": month_text},
            )
        elif not submissions.has_ended(month):
            problem(
                "#date+month",
                _("%(month)s has not ended yet: submit it once it is over.")
                % {"month": month.strftime("%Y-%m")},
            )
        implementer = cell(cells, "#org+impl")
        if implementer and fold(implementer) not in own:
            problem(
                "#org+impl",
                _("“%(value)s” is not your organization: import your own rows only.")
                % {"value": implementer[:80]},
            )
        appealing = " ".join(cell(cells, "#org+prog").split()) or label
        if len(appealing) > 200:
            problem("#org+prog", _("The appealing organization is longer than 200 characters."))
        admin1_text = cell(cells, "#adm1+code").upper()
        admin1 = areas.code(1, admin1_text)
        if admin1 is None:
            problem(
                "#adm1+code",
                _("Unknown admin1 code “%(value)s”: use a code of the gazetteer (e.g. PE-LIM).")
                % {"value": admin1_text[:40]},
            )
        admin2_text = cell(cells, "#adm2+code").upper()
        admin2 = areas.code(2, admin2_text) if admin2_text else None
        if admin2_text and admin2 is None:
            problem(
                "#adm2+code",
                _("Unknown admin2 code “%(value)s”: use a P-code of the gazetteer.")
                % {"value": admin2_text[:40]},
            )
        elif admin2 is not None and admin1 is not None and admin2.parent_id != admin1.pk:
            problem(
                "#adm2+code",
                _("%(admin2)s is not in %(admin1)s.")
                % {"admin2": admin2.code, "admin1": admin1.code},
            )
        country = cell(cells, "#country+code").upper()
        if country and admin1 is not None and country != admin1.country:
            problem(
                "#country+code",
                _("The country %(country)s does not match %(admin1)s.")
                % {"country": country[:10], "admin1": admin1.code},
            )
        sector = cell(cells, "#sector").lower()
        if sector not in Sector.values:
            problem(
                "#sector",
                _("Unknown sector “%(value)s”: use one of %(codes)s.")
                % {"value": sector[:40], "codes": ", ".join(Sector.values)},
            )
        population = cell(cells, "#population+type").lower()
        if population and population not in PopulationType.values:
            problem(
                "#population+type",
                _("Unknown population type “%(value)s”: use one of %(codes)s.")
                % {"value": population[:40], "codes": ", ".join(PopulationType.values)},
            )
        indicator = " ".join(cell(cells, "#indicator").split())
        if len(indicator) > 300:
            problem("#indicator", _("The indicator is longer than 300 characters."))
        cva_text = fold(cell(cells, "#indicator+cva"))
        if cva_text not in YES | NO:
            problem("#indicator+cva", _("Use yes or no (or leave it empty)."))
        counts: dict[str, int] = {}
        for tag in COUNTS:
            text = cell(cells, tag)
            if not text:
                counts[tag] = 0
            elif WHOLE.match(text) and int(float(text)) <= MAX_COUNT:
                counts[tag] = int(float(text))
            else:
                problem(
                    tag,
                    _("“%(value)s” is not a whole number of people (0 or more).")
                    % {"value": text[:20]},
                )
        pct_text = cell(cells, "#indicator+pct+nodedup")
        if pct_text and not (WHOLE.match(pct_text) and int(float(pct_text)) <= 100):
            problem("#indicator+pct+nodedup", _("Use a whole percentage from 0 to 100."))
        if len(counts) == len(COUNTS):
            total, new = counts["#reached+total"], counts["#reached+new"]
            if sum(counts[tag] for tag in MONTHLY) != total:
                problem(
                    "#reached+total",
                    _(
                        "Girls, boys, women, men and other add up to %(sum)s, "
                        "not to the total %(total)s."
                    )
                    % {"sum": sum(counts[tag] for tag in MONTHLY), "total": total},
                )
            if sum(counts[tag] for tag in NEW) != new:
                problem(
                    "#reached+new",
                    _(
                        "New girls, boys, women, men and other add up to %(sum)s, "
                        "not to the new beneficiaries %(new)s."
                    )
                    % {"sum": sum(counts[tag] for tag in NEW), "new": new},
                )
            if new > total:
                problem(
                    "#reached+new",
                    _("New beneficiaries (%(new)s) cannot be more than the total (%(total)s).")
                    % {"new": new, "total": total},
                )
            for monthly_tag, new_tag in zip(MONTHLY, NEW, strict=True):
                if counts[new_tag] > counts[monthly_tag]:
                    problem(
                        new_tag,
                        _("More new people than people reached in the same group."),
                    )
            for tag in ("#reached+lgbtiq", "#reached+disabled"):
                if counts[tag] > total:
                    problem(tag, _("More than the total monthly beneficiaries."))
        key = (month, admin1_text, admin2_text, sector, population, fold(indicator), cva_text)
        if key in seen:
            problem(
                "#date+month",
                _(
                    "The same month, place, sector, population type and indicator are "
                    "already on line %(line)s."
                )
                % {"line": seen[key]},
            )
        seen.setdefault(key, line)
        if month is not None:
            result.first_lines.setdefault(month, line)
        if problems or month is None or admin1 is None:
            result.issues += problems
            continue
        result.rows.setdefault(month, []).append(
            {
                "#org+prog": appealing,
                "#org+impl": label,
                "#date+month": month.strftime("%Y-%m"),
                "#country+code": admin1.country,
                "#adm1+code": admin1.code,
                "#adm1+name": admin1.name,
                "#adm2+code": admin2.code if admin2 else "",
                "#sector": sector,
                "#indicator": indicator or fivew.INDICATORS.get(sector, sector),  # type: ignore[call-overload]
                "#population+type": population,
                "#indicator+cva": "yes" if cva_text in YES else "no",
                **counts,
                "#indicator+pct+nodedup": int(float(pct_text)) if pct_text else "",
            }
        )
    return result


def read_table(name: str, content: bytes) -> tables.Lines:
    try:
        return tables.read_table(name, content, max_rows=MAX_ROWS + 1)
    except tables.TableError as error:
        raise ImportFileError(str(error)) from error


def import_fivew(actor: User, file_name: str, content: bytes, reason: str = "") -> ImportResult:
    """Check every row; when none is wrong, add one submission version per month."""
    if not submissions.may_submit(actor):
        raise submissions.SubmissionError(_("Only agency admins and coordinators submit their 5W."))
    result = check_rows(read_table(file_name, content), actor, file_name)
    if not result.ok:
        return result
    if not reason.strip():
        already = FiveWSubmission.objects.filter(
            organization=actor.organization, month__in=list(result.rows)
        ).values_list("month", flat=True)
        for month in sorted(set(already)):
            result.issues.append(
                Issue(
                    file_name,
                    result.first_lines[month],
                    "#date+month",
                    _("%(month)s is already submitted: a correction needs a reason.")
                    % {"month": month.strftime("%Y-%m")},
                )
            )
        if result.issues:
            return result
    result.submissions = submissions.submit_rows(actor, result.rows, reason)
    return result
