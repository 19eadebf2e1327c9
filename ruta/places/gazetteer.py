"""Import a gazetteer CSV: level-2 areas (districts, cantons) with P-codes.

One row per area. Columns (header names in any case, comma or semicolon separated,
UTF-8 with or without BOM):

``country``      ISO 3166-1 alpha-2 code (``PE``); ``ADM0_PCODE`` is accepted too.
``admin1``       the parent region: its ISO 3166-2 code (``PE-TUM``) or its P-code
                 (``PE24``); ``ADM1_PCODE`` is accepted too.
``pcode``        the area's P-code (``PE240101``); ``code`` or ``ADM2_PCODE`` too.
``name_es``      the Spanish name (``ADM2_ES``); ``name_en`` optional (``ADM2_EN``),
                 the Spanish name when empty.
``latitude``, ``longitude``  optional representative point (``lat``/``lon`` too);
                 empty leaves a stored point as it is.
``level``        optional: ``2`` (the default) or ``1``. A level-1 row attaches the
                 P-code in ``pcode`` to the existing region whose ISO code is in
                 ``admin1`` (and, when given, its names and point); level-2 rows of the
                 same file may then name that region by its P-code.

Lines whose first cell starts with ``#`` (comments, HXL hashtag rows) are skipped.

The whole file is checked first; nothing is written unless every row is valid. Importing
again updates the names and points of the P-codes already stored and never duplicates
them. A level-2 area is stored with its P-code as both ``code`` and ``pcode``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db import transaction
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.lib.issues import Issue
from ruta.places.models import AdminArea
from ruta.places.signals import areas_renamed

# Header (lower case) -> the column it stands for.
ALIASES: dict[str, str] = {
    "level": "level",
    "country": "country",
    "adm0_pcode": "country",
    "admin1": "admin1",
    "adm1_pcode": "admin1",
    "pcode": "pcode",
    "code": "pcode",
    "adm2_pcode": "pcode",
    "name_es": "name_es",
    "adm2_es": "name_es",
    "name_en": "name_en",
    "adm2_en": "name_en",
    "latitude": "latitude",
    "lat": "latitude",
    "longitude": "longitude",
    "lon": "longitude",
    "lng": "longitude",
}
REQUIRED = ("country", "admin1", "pcode")
NAME_MAX = 120
PCODE_MAX = 20
PCODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")


ERRORS_SHOWN = 200


@dataclass
class Result:
    valid: bool
    dry_run: bool
    errors: list[Issue]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def error_total(self) -> int:
        return len(self.errors)

    @property
    def shown_errors(self) -> list[Issue]:
        """The first ``ERRORS_SHOWN`` errors, by line: a page that stays readable."""
        return self.errors[:ERRORS_SHOWN]


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


@dataclass
class _Plan:
    regions: list[tuple[AdminArea, dict[str, Any]]] = field(default_factory=list)
    creates: list[AdminArea] = field(default_factory=list)
    updates: list[tuple[AdminArea, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "regions": len(self.regions),
            "unchanged": self.unchanged,
        }


class _Checker:
    """Reads the file and checks every row against the stored areas; builds the plan."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[Issue] = []
        self.headers: dict[str, str] = {}  # column -> the header as written in the file

    def error(self, line: int, column: str, reason: str) -> None:
        self.errors.append(Issue(self.filename, line, self.headers.get(column, column), reason))

    # --- Reading ------------------------------------------------------------------

    def read(self, data: bytes) -> list[_Row] | None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.error(
                line, "", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
            )
            return None
        first = next(
            (ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")),
            None,
        )
        if first is None:
            self.error(1, "", _("The file has no header line and no rows."))
            return None
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header: list[str] | None = None
        rows: list[_Row] = []
        line = 1
        try:
            for cells in reader:
                start, line = line, reader.line_num + 1
                values = [cell.strip() for cell in cells]
                if not any(values) or values[0].startswith("#"):
                    continue
                if header is None:
                    header = self._header(start, values)
                    if header is None:
                        return None
                    continue
                row = {
                    column: values[index] if index < len(values) else ""
                    for index, column in enumerate(header)
                    if column
                }
                rows.append(_Row(start, row))
        except csv.Error as exc:
            self.error(line, "", _("The file cannot be read as CSV: %(error)s") % {"error": exc})
            return None
        if not rows:
            self.error(line, "", _("The file has a header line but no rows."))
            return None
        return rows

    def _header(self, line: int, names: list[str]) -> list[str] | None:
        columns: list[str] = []
        for name in names:
            column = ALIASES.get(name.lower(), "")
            if column and column in self.headers:
                self.error(
                    line,
                    column,
                    _("The columns “%(first)s” and “%(second)s” give the same thing; keep one.")
                    % {"first": self.headers[column], "second": name},
                )
                column = ""
            elif column:
                self.headers[column] = name
            columns.append(column)
        wanted = [*REQUIRED] if "level" in self.headers else [*REQUIRED, "name_es"]
        for column in wanted:
            if column not in self.headers:
                self.error(
                    line, column, _("The column “%(column)s” is missing.") % {"column": column}
                )
        return None if self.errors else columns

    # --- Checking -----------------------------------------------------------------

    def plan(self, rows: list[_Row]) -> _Plan:
        areas = list(AdminArea.objects.select_related("parent"))
        by_code = {area.code.upper(): area for area in areas}
        by_pcode: dict[str, AdminArea] = {}
        for area in areas:
            if area.pcode:
                by_pcode.setdefault(area.pcode.upper(), area)
        seen: dict[str, int] = {}  # P-code -> first line in the file
        plan = _Plan()

        # Level-1 rows first: level-2 rows may name their region by the P-code given here.
        region_rows: dict[int, int] = {}  # region pk -> line
        region_pcodes: dict[str, AdminArea] = {}
        level_two: list[tuple[_Row, str, str]] = []
        for row in rows:
            level = self._level(row)
            country = self._country(row)
            pcode = self._pcode(row, seen)
            if level == 2:
                level_two.append((row, country or "", pcode or ""))
                continue
            if level != 1:
                continue
            region = self._region_by_iso(row, by_code, country)
            if region is None or pcode is None or country is None:
                continue
            if region.pk in region_rows:
                self.error(
                    row.line,
                    "admin1",
                    _("This region is already on line %(line)s.")
                    % {"line": region_rows[region.pk]},
                )
                continue
            region_rows[region.pk] = row.line
            holder = by_code.get(pcode) or by_pcode.get(pcode)
            if holder is not None and holder.pk != region.pk:
                self._taken(row, pcode, holder)
                continue
            region_pcodes[pcode] = region
            changes = self._changes(row, region, {"pcode": pcode}, names_required=False)
            if changes is None:
                continue
            if changes:
                plan.regions.append((region, changes))
            else:
                plan.unchanged += 1

        # A region whose P-code this file replaces no longer answers to the old one.
        recoded = {area.pk for area in region_pcodes.values()}
        parents = {code: area for code, area in by_pcode.items() if area.pk not in recoded}
        parents.update(region_pcodes)

        for row, country, pcode in level_two:
            parent = self._parent(row, by_code, parents, country)
            if parent is None or not country or not pcode:
                self._changes(row, None, {}, names_required=True)  # report the other cells too
                continue
            holder = by_code.get(pcode) or by_pcode.get(pcode)
            if holder is not None and holder.level != 2:
                self._taken(row, pcode, holder)
                continue
            if holder is not None and holder.parent_id != parent.pk:
                self.error(
                    row.line,
                    "pcode",
                    _(
                        "The P-code %(code)s is already an area of %(other)s; it cannot move "
                        "to %(parent)s."
                    )
                    % {
                        "code": pcode,
                        "other": holder.parent.code if holder.parent else holder.country,
                        "parent": parent.code,
                    },
                )
                continue
            changes = self._changes(row, holder, {}, names_required=True)
            if changes is None:
                continue
            if holder is None:
                plan.creates.append(
                    AdminArea(
                        code=pcode,
                        pcode=pcode,
                        country=country,
                        level=2,
                        parent=parent,
                        **changes,
                    )
                )
            elif changes:
                plan.updates.append((holder, changes))
            else:
                plan.unchanged += 1
        return plan

    def _level(self, row: _Row) -> int | None:
        value = row.cells.get("level", "")
        if value in ("", "2"):
            return 2
        if value == "1":
            return 1
        self.error(row.line, "level", _("The level must be 1 or 2 (empty means 2)."))
        return None

    def _country(self, row: _Row) -> str | None:
        value = row.cells.get("country", "").upper()
        if not value:
            self.error(row.line, "country", _("The country is missing."))
            return None
        if len(value) != 2 or pycountry.countries.get(alpha_2=value) is None:
            self.error(
                row.line,
                "country",
                _("“%(value)s” is not an ISO 3166-1 alpha-2 country code (such as PE or EC).")
                % {"value": value},
            )
            return None
        return value

    def _pcode(self, row: _Row, seen: dict[str, int]) -> str | None:
        value = row.cells.get("pcode", "").upper()
        if not value:
            self.error(row.line, "pcode", _("The P-code is missing."))
            return None
        if len(value) > PCODE_MAX or not PCODE_RE.match(value):
            self.error(
                row.line,
                "pcode",
                _(
                    "“%(value)s” is not a valid P-code: at most %(max)s letters, digits, dots, "
                    "dashes or underscores."
                )
                % {"value": value, "max": PCODE_MAX},
            )
            return None
        if value in seen:
            self.error(
                row.line,
                "pcode",
                _("The P-code %(code)s is already on line %(line)s.")
                % {"code": value, "line": seen[value]},
            )
            return None
        seen[value] = row.line
        return value

    def _region_by_iso(
        self, row: _Row, by_code: dict[str, AdminArea], country: str | None
    ) -> AdminArea | None:
        value = row.cells.get("admin1", "").upper()
        if not value:
            self.error(row.line, "admin1", _("The region's ISO 3166-2 code is missing."))
            return None
        region = by_code.get(value)
        if region is None or region.level != 1:
            self.error(
                row.line,
                "admin1",
                _("No region has the ISO 3166-2 code %(code)s.") % {"code": value},
            )
            return None
        if country and region.country != country:
            self._wrong_country(row, region, country)
            return None
        return region

    def _parent(
        self,
        row: _Row,
        by_code: dict[str, AdminArea],
        parents: dict[str, AdminArea],
        country: str,
    ) -> AdminArea | None:
        value = row.cells.get("admin1", "").upper()
        if not value:
            self.error(row.line, "admin1", _("The region (admin1) is missing."))
            return None
        parent = by_code.get(value)
        if parent is None or parent.level != 1:
            parent = parents.get(value)
        if parent is None or parent.level != 1:
            self.error(
                row.line,
                "admin1",
                _("No region has the code or P-code %(code)s.") % {"code": value},
            )
            return None
        if country and parent.country != country:
            self._wrong_country(row, parent, country)
            return None
        return parent

    def _wrong_country(self, row: _Row, region: AdminArea, country: str) -> None:
        self.error(
            row.line,
            "country",
            _("The region %(code)s is in %(its)s, not in %(country)s.")
            % {"code": region.code, "its": region.country, "country": country},
        )

    def _taken(self, row: _Row, pcode: str, holder: AdminArea) -> None:
        self.error(
            row.line,
            "pcode",
            _("The code %(code)s is already used by %(area)s (%(area_code)s).")
            % {"code": pcode, "area": holder.name_es, "area_code": holder.code},
        )

    def _changes(
        self,
        row: _Row,
        area: AdminArea | None,
        changes: dict[str, Any],
        *,
        names_required: bool,
    ) -> dict[str, Any] | None:
        """The fields this row sets (only those that differ on ``area``); None when invalid."""
        ok = True
        wanted = dict(changes)
        name_es = row.cells.get("name_es", "")
        name_en = row.cells.get("name_en", "")
        if names_required and not name_es:
            self.error(row.line, "name_es", _("The Spanish name is missing."))
            ok = False
        for column, value in (("name_es", name_es), ("name_en", name_en)):
            if len(value) > NAME_MAX:
                self.error(
                    row.line,
                    column,
                    _("The name is too long (at most %(max)s characters).") % {"max": NAME_MAX},
                )
                ok = False
        if name_es:
            wanted["name_es"] = name_es
            wanted["name_en"] = name_en or name_es
        elif name_en:
            wanted["name_en"] = name_en
        point = self._point(row)
        if point is None:
            ok = False
        elif point:
            wanted["latitude"], wanted["longitude"] = point
        if not ok:
            return None
        if area is None:
            return wanted
        return {key: value for key, value in wanted.items() if getattr(area, key) != value}

    def _point(self, row: _Row) -> tuple[float, float] | tuple[()] | None:
        raw = {column: row.cells.get(column, "") for column in ("latitude", "longitude")}
        if not any(raw.values()):
            return ()
        if not all(raw.values()):
            missing = "latitude" if not raw["latitude"] else "longitude"
            self.error(
                row.line, missing, _("Give both the latitude and the longitude, or neither.")
            )
            return None
        values: dict[str, float] = {}
        limits = {"latitude": 90.0, "longitude": 180.0}
        for column, text in raw.items():
            if "," in text and "." not in text:
                text = text.replace(",", ".")  # a decimal comma, from a spreadsheet in Spanish
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if not math.isfinite(number) or abs(number) > limits[column]:
                self.error(
                    row.line,
                    column,
                    _("“%(value)s” is not a number between -%(limit)s and %(limit)s.")
                    % {"value": raw[column], "limit": int(limits[column])},
                )
                continue
            values[column] = number
        if len(values) != 2:
            return None
        return values["latitude"], values["longitude"]


def _apply(plan: _Plan) -> None:
    for region, changes in plan.regions:
        for key, value in changes.items():
            setattr(region, key, value)
        region.save(update_fields=sorted(changes))
    AdminArea.objects.bulk_create(plan.creates, batch_size=500)
    for area, changes in plan.updates:
        for key, value in changes.items():
            setattr(area, key, value)
        area.save(update_fields=sorted(changes))
    renamed = [
        area.pk
        for area, changes in [*plan.regions, *plan.updates]
        if {"name_es", "name_en"} & set(changes)
    ]
    if renamed:
        # Services are found by the names of their places and areas: the directory listens.
        areas_renamed.send(sender=AdminArea, area_ids=renamed)


def run_import(
    data: bytes,
    filename: str,
    *,
    dry_run: bool = True,
    actor: Any = None,
    request: Any = None,
) -> Result:
    """Check a gazetteer file and, unless ``dry_run`` or anything is wrong, write it."""
    checker = _Checker(filename)
    rows = checker.read(data)
    if rows is None:
        return Result(valid=False, dry_run=dry_run, errors=checker.errors)
    with transaction.atomic():
        plan = checker.plan(rows)
        counts = plan.counts()
        valid = not checker.errors
        if valid and not dry_run:
            _apply(plan)
            record(
                "directory.gazetteer_imported",
                actor=actor,
                request=request,
                details={"rows": len(rows), **counts},
            )
    errors = sorted(checker.errors, key=lambda issue: issue.line)
    return Result(valid=valid, dry_run=dry_run, errors=errors, counts=counts if valid else {})


def count_labels(counts: dict[str, int], *, done: bool) -> list[tuple[str, int]]:
    """The counts of a check or an import, labelled for people."""
    if not counts:
        return []
    if done:
        labels = {
            "created": _("Areas created"),
            "updated": _("Areas updated"),
            "regions": _("Regions given a P-code, names or a point"),
            "unchanged": _("Rows already up to date"),
        }
    else:
        labels = {
            "created": _("Areas to create"),
            "updated": _("Areas to update"),
            "regions": _("Regions to give a P-code, names or a point"),
            "unchanged": _("Rows already up to date"),
        }
    return [(label, counts.get(key, 0)) for key, label in labels.items()]
