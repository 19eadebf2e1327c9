"""Coverage gaps: how many active, accepting services each area has, by sector or profile.

Rows are the level-1 areas of a country, or the level-2 areas of one level-1 area; columns
are the terms of one taxonomy (sectors or population profiles). A cell counts the distinct
services that are active, accepting new people, of an active organization, present in the
area (a location there, or a service area covering it) and classified with the column's
term, after the optional sector / profile filters. Zero cells are the gaps.

Presence in an area:
- level-1 row: a location whose admin1 is the row (or whose admin2 lies in it), or a service
  area that is the row or lies in it;
- level-2 row: a location whose admin2 is the row, or a service area that is the row or
  the whole level-1 area around it (a regional phone line reaches every district).

The table is built with a fixed number of queries whatever its size: the rows, the
columns, the (service, area) pairs from locations, those from service areas, and the
(service, term) pairs. Totals count each service once, so they may be less than the sum of
their cells (a service with two sectors shows in two cells).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ruta.directory.access import public_services
from ruta.directory.models import (
    AdminArea,
    IntakeStatus,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

SECTOR = "sector"
POPULATION = "population"
DIMENSIONS = {"sector": SECTOR, "profile": POPULATION}


@dataclass(frozen=True)
class CoverageQuery:
    country: str = "PE"
    admin1: str = ""  # an AdminArea code of level 1: drill into its level-2 areas
    columns: str = "sector"  # "sector" or "profile"
    sector: str = ""  # only services with this sector term
    profile: str = ""  # only services with this population term

    @property
    def column_taxonomy(self) -> str:
        return DIMENSIONS.get(self.columns, SECTOR)


@dataclass
class Row:
    area: AdminArea
    cells: list[int]
    total: int

    @property
    def has_children(self) -> bool:
        return bool(getattr(self.area, "child_count", 0))


@dataclass
class CoverageTable:
    query: CoverageQuery
    parent: AdminArea | None  # the level-1 area drilled into, if any
    columns: list[TaxonomyTerm]
    rows: list[Row] = field(default_factory=list)
    column_totals: list[int] = field(default_factory=list)
    total: int = 0
    # Drilled into a level-1 area that has no level-2 areas imported: one row, the area.
    no_subdivisions: bool = False

    @property
    def level(self) -> int:
        return 2 if self.parent is not None and not self.no_subdivisions else 1

    @property
    def gap_count(self) -> int:
        return sum(1 for row in self.rows for value in row.cells if value == 0)


def counted_services(query: CoverageQuery) -> QuerySet[Service]:
    """Active, accepting services of active organizations, after the term filters."""
    services = public_services().filter(intake_status=IntakeStatus.ACCEPTING)
    through = Service.terms.through
    for taxonomy, code in ((SECTOR, query.sector), (POPULATION, query.profile)):
        if code:
            services = services.filter(
                Exists(
                    through.objects.filter(
                        service_id=OuterRef("pk"),
                        taxonomyterm__taxonomy__code=taxonomy,
                        taxonomyterm__code=code,
                    )
                )
            )
    return services


def _rows_and_parent(query: CoverageQuery) -> tuple[list[AdminArea], AdminArea | None, bool]:
    """The row areas (one query, two with a drill-down), the parent, and "no subdivisions"."""
    if query.admin1:
        parent = (
            AdminArea.objects.filter(code=query.admin1, country=query.country, level=1)
            .annotate(child_count=Count("children"))
            .first()
        )
        if parent is not None:
            children = list(parent.children.filter(level=2).order_by("name_es", "code"))
            if children:
                return children, parent, False
            return [parent], parent, True
    areas: list[AdminArea] = list(
        AdminArea.objects.filter(country=query.country, level=1)
        .annotate(child_count=Count("children"))
        .order_by("name_es", "code")
    )
    return areas, None, False


def build_coverage(query: CoverageQuery) -> CoverageTable:
    rows, parent, no_subdivisions = _rows_and_parent(query)
    columns = list(
        TaxonomyTerm.objects.filter(taxonomy__code=query.column_taxonomy, active=True).order_by(
            "position", "code"
        )
    )
    selected = {SECTOR: query.sector, POPULATION: query.profile}[query.column_taxonomy]
    if selected:
        columns = [term for term in columns if term.code == selected]
    table = CoverageTable(
        query=query, parent=parent, columns=columns, no_subdivisions=no_subdivisions
    )
    if not rows or not columns:
        table.rows = [Row(area=area, cells=[0] * len(columns), total=0) for area in rows]
        table.column_totals = [0] * len(columns)
        return table

    row_ids = {area.pk for area in rows}
    level2 = parent is not None and not no_subdivisions
    services = counted_services(query)
    areas_of: dict[int, set[int]] = defaultdict(set)

    # (service, area) pairs from locations: one query.
    located = ServiceAtLocation.objects.filter(service__in=services)
    if level2:
        located = located.filter(location__admin2__in=row_ids)
        for service_id, admin2_id in located.values_list("service_id", "location__admin2_id"):
            areas_of[service_id].add(admin2_id)
    else:
        located = located.filter(
            Q(location__admin1__in=row_ids) | Q(location__admin2__parent__in=row_ids)
        )
        for service_id, admin1_id, admin2_parent_id in located.values_list(
            "service_id", "location__admin1_id", "location__admin2__parent_id"
        ):
            areas_of[service_id].update(row_ids.intersection((admin1_id, admin2_parent_id)))

    # (service, area) pairs from service areas: one query.
    reach = ServiceArea.objects.filter(service__in=services)
    if level2:
        assert parent is not None
        reach = reach.filter(Q(area__in=row_ids) | Q(area=parent))
        for service_id, area_id in reach.values_list("service_id", "area_id"):
            areas_of[service_id].update(row_ids if area_id == parent.pk else {area_id})
    else:
        reach = reach.filter(Q(area__in=row_ids) | Q(area__parent__in=row_ids))
        for service_id, area_id, parent_id in reach.values_list(
            "service_id", "area_id", "area__parent_id"
        ):
            areas_of[service_id].update(row_ids.intersection((area_id, parent_id)))

    # (service, term) pairs for the column terms: one query.
    column_ids = {term.pk for term in columns}
    terms_of: dict[int, set[int]] = defaultdict(set)
    pairs = Service.terms.through.objects.filter(
        service__in=services, taxonomyterm_id__in=column_ids
    ).values_list("service_id", "taxonomyterm_id")
    for service_id, term_id in pairs:
        terms_of[service_id].add(term_id)

    cells: dict[tuple[int, int], int] = defaultdict(int)
    row_totals: dict[int, int] = defaultdict(int)
    column_totals: dict[int, int] = defaultdict(int)
    total = 0
    for service_id, area_ids in areas_of.items():
        term_ids = terms_of.get(service_id)
        if not area_ids or not term_ids:
            continue
        total += 1
        for area_id in area_ids:
            row_totals[area_id] += 1
            for term_id in term_ids:
                cells[(area_id, term_id)] += 1
        for term_id in term_ids:
            column_totals[term_id] += 1

    table.rows = [
        Row(
            area=area,
            cells=[cells[(area.pk, term.pk)] for term in columns],
            total=row_totals[area.pk],
        )
        for area in rows
    ]
    table.column_totals = [column_totals[term.pk] for term in columns]
    table.total = total
    return table


# --- HXL hashtags of the exports ---------------------------------------------------

_NOT_ATTRIBUTE = re.compile(r"[^a-z0-9_]+")


def hxl_attribute(code: str) -> str:
    """A term code as an HXL attribute: lower-case letters, digits and underscores."""
    value = _NOT_ATTRIBUTE.sub("_", code.lower()).strip("_") or "term"
    return value if value[0].isalpha() else f"t_{value}"


def export_headers(table: CoverageTable) -> tuple[list[str], list[str]]:
    """The human header row and the HXL hashtag row of a coverage export."""
    from django.utils.translation import gettext as _

    headers = [_("Country"), _("Region code"), _("Region")]
    tags = ["#country+code", "#adm1+code", "#adm1+name"]
    if table.level == 2:
        headers += [_("District code"), _("District")]
        tags += ["#adm2+code", "#adm2+name"]
    dimension = "sector" if table.query.column_taxonomy == SECTOR else "profile"
    for term in table.columns:
        headers.append(term.name)
        tags.append(f"#indicator+num+services+{dimension}+{hxl_attribute(term.code)}")
    headers.append(_("Total services"))
    tags.append("#indicator+num+services+total")
    return headers, tags


def export_rows(table: CoverageTable) -> list[list[Any]]:
    """One line per area: codes and names, then the counts and the row total."""
    lines: list[list[Any]] = []
    for row in table.rows:
        area = row.area
        if table.level == 2:
            assert table.parent is not None
            place = [
                area.country,
                table.parent.code,
                table.parent.name,
                area.pcode or area.code,
                area.name,
            ]
        else:
            place = [area.country, area.code, area.name]
        lines.append([*place, *row.cells, row.total])
    return lines
