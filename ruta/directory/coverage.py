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

The long export (``build_cube``) counts the whole area x sector x profile cube with the
same presence and term code, so each of its cells equals the table's cell for that area and
sector filtered by that profile. A service without a profile term is in none of its cells.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from ruta.directory.access import public_services
from ruta.directory.models import (
    IntakeStatus,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ruta.lib.translated import localized
from ruta.places.models import AdminArea

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


# The heat map's shades: a count reaching each step is one shade darker; 0 is a gap.
HEAT_STEPS = (1, 2, 5, 10)


def heat(value: int) -> int:
    """The shade of a count: 0 for a gap, then 1 to ``len(HEAT_STEPS)``."""
    return sum(1 for step in HEAT_STEPS if value >= step)


def heat_ranges() -> list[tuple[int, int, int | None]]:
    """(shade, lowest count, highest count or None for "or more"), for the legend."""
    highs = [step - 1 for step in HEAT_STEPS[1:]] + [None]
    return [
        (shade, low, high)
        for shade, (low, high) in enumerate(zip(HEAT_STEPS, highs, strict=True), start=1)
    ]


@dataclass
class Row:
    area: AdminArea
    cells: list[int]
    total: int

    @property
    def has_children(self) -> bool:
        return bool(getattr(self.area, "child_count", 0))

    @property
    def shaded(self) -> list[tuple[int, int]]:
        """(count, shade) of each cell."""
        return [(value, heat(value)) for value in self.cells]


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

    def gaps(self) -> list[tuple[Row, list[TaxonomyTerm]]]:
        """Each row with an empty cell, and the columns it has no service for."""
        found = []
        for row in self.rows:
            missing = [
                term for term, value in zip(self.columns, row.cells, strict=True) if not value
            ]
            if missing:
                found.append((row, missing))
        return found


def active_services(query: CoverageQuery) -> QuerySet[Service]:
    """Active services of active organizations, after the term filters."""
    services = public_services()
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


def counted_services(query: CoverageQuery) -> QuerySet[Service]:
    """Active, accepting services of active organizations, after the term filters."""
    return active_services(query).filter(intake_status=IntakeStatus.ACCEPTING)


def presence(services: QuerySet[Service], rows: list[AdminArea]) -> dict[int, set[int]]:
    """Service id -> the row areas it is present in: two queries.

    A row may be a level-1 area (a location in it or in one of its level-2 areas, a service
    area that is it or lies in it) or a level-2 area (a location in it, a service area that
    is it or the whole level-1 area around it); rows of both levels may be mixed.
    """
    level1 = {area.pk for area in rows if area.level == 1}
    level2 = {area.pk for area in rows if area.level != 1}
    children_of: dict[int, set[int]] = defaultdict(set)
    for area in rows:
        if area.level != 1 and area.parent_id is not None:
            children_of[area.parent_id].add(area.pk)
    areas_of: dict[int, set[int]] = defaultdict(set)

    located = ServiceAtLocation.objects.filter(service__in=services).filter(
        Q(location__admin1__in=level1)
        | Q(location__admin2__parent__in=level1)
        | Q(location__admin2__in=level2)
    )
    for service_id, admin1_id, admin2_id, admin2_parent_id in located.values_list(
        "service_id", "location__admin1_id", "location__admin2_id", "location__admin2__parent_id"
    ):
        found = areas_of[service_id]
        found.update(level1.intersection((admin1_id, admin2_parent_id)))
        if admin2_id in level2:
            found.add(admin2_id)

    reach = ServiceArea.objects.filter(service__in=services).filter(
        Q(area__in=level1)
        | Q(area__parent__in=level1)
        | Q(area__in=level2)
        | Q(area__in=set(children_of))
    )
    for service_id, area_id, parent_id in reach.values_list(
        "service_id", "area_id", "area__parent_id"
    ):
        found = areas_of[service_id]
        found.update(level1.intersection((area_id, parent_id)))
        if area_id in level2:
            found.add(area_id)
        found.update(children_of.get(area_id, ()))
    return areas_of


def term_pairs(services: QuerySet[Service], term_ids: set[int]) -> dict[int, set[int]]:
    """Service id -> the ids among ``term_ids`` it is classified with: one query."""
    terms_of: dict[int, set[int]] = defaultdict(set)
    pairs = Service.terms.through.objects.filter(
        service__in=services, taxonomyterm_id__in=term_ids
    ).values_list("service_id", "taxonomyterm_id")
    for service_id, term_id in pairs:
        terms_of[service_id].add(term_id)
    return terms_of


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


def column_terms(
    query: CoverageQuery, taxonomies: tuple[str, ...]
) -> dict[str, list[TaxonomyTerm]]:
    """The active terms of each taxonomy, narrowed to the chosen filter term: one query."""
    selected = {SECTOR: query.sector, POPULATION: query.profile}
    found: dict[str, list[TaxonomyTerm]] = {taxonomy: [] for taxonomy in taxonomies}
    terms = (
        TaxonomyTerm.objects.filter(taxonomy__code__in=taxonomies, active=True)
        .annotate(taxonomy_code=F("taxonomy__code"))
        .order_by("position", "code")
    )
    for term in terms:
        taxonomy = term.taxonomy_code
        if not selected[taxonomy] or term.code == selected[taxonomy]:
            found[taxonomy].append(term)
    return found


def build_coverage(query: CoverageQuery) -> CoverageTable:
    rows, parent, no_subdivisions = _rows_and_parent(query)
    columns = column_terms(query, (query.column_taxonomy,))[query.column_taxonomy]
    table = CoverageTable(
        query=query, parent=parent, columns=columns, no_subdivisions=no_subdivisions
    )
    if not rows or not columns:
        table.rows = [Row(area=area, cells=[0] * len(columns), total=0) for area in rows]
        table.column_totals = [0] * len(columns)
        return table

    services = counted_services(query)
    areas_of = presence(services, rows)
    terms_of = term_pairs(services, {term.pk for term in columns})

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


# --- The whole cube, in long format -------------------------------------------------


@dataclass
class CoverageCube:
    """Every area x sector x profile, with the same counts as the tables.

    ``accepting`` counts what the on-screen table counts (active services accepting new
    people); ``active`` counts every active service, accepting or not. Both are keyed by
    (area id, sector id, profile id) and hold only the cells that are not zero.
    """

    query: CoverageQuery
    level: int
    parent: AdminArea | None
    areas: list[AdminArea]
    sectors: list[TaxonomyTerm]
    profiles: list[TaxonomyTerm]
    accepting: dict[tuple[int, int, int], int] = field(default_factory=dict)
    active: dict[tuple[int, int, int], int] = field(default_factory=dict)


def _cube_areas(query: CoverageQuery, level: int) -> tuple[list[AdminArea], AdminArea | None, int]:
    """The row areas, the level-1 area drilled into (if any) and the level of the rows.

    With a level-1 area chosen, its level-2 areas (or itself, with none imported), as the
    table does. At level 2 for a whole country: every level-2 area, and each level-1 area
    that has none imported, as itself, so no part of the country is left out.
    """
    if query.admin1 or level != 2:
        rows, parent, no_subdivisions = _rows_and_parent(query)
        drilled = parent is not None and not no_subdivisions
        return rows, parent, 2 if drilled else 1
    areas = list(
        AdminArea.objects.filter(country=query.country, level__in=(1, 2))
        .select_related("parent")
        .annotate(child_count=Count("children", filter=Q(children__level=2)))
    )
    rows = [a for a in areas if a.level == 2 or not getattr(a, "child_count", 0)]
    rows.sort(key=lambda a: (*_region_key(a), a.name_es if a.level == 2 else "", a.code))
    return rows, None, 2


def _region_key(area: AdminArea) -> tuple[str, str]:
    region = cube_region(area)
    return (region.name_es, region.code) if region is not None else ("", "")


def cube_region(area: AdminArea) -> AdminArea | None:
    """The level-1 area of a row (the row itself at level 1)."""
    return area if area.level == 1 else area.parent


def build_cube(query: CoverageQuery, level: int = 1) -> CoverageCube:
    """The cube in a fixed number of queries: rows, terms, services' states, places, terms."""
    areas, parent, row_level = _cube_areas(query, level)
    terms = column_terms(query, (SECTOR, POPULATION))
    cube = CoverageCube(
        query=query,
        level=row_level,
        parent=parent,
        areas=areas,
        sectors=terms[SECTOR],
        profiles=terms[POPULATION],
    )
    if not areas or not cube.sectors or not cube.profiles:
        return cube
    services = active_services(query)
    accepting_ids = set(counted_services(query).values_list("pk", flat=True))
    areas_of = presence(services, areas)
    sector_ids = {term.pk for term in cube.sectors}
    terms_of = term_pairs(services, sector_ids | {term.pk for term in cube.profiles})
    accepting: dict[tuple[int, int, int], int] = defaultdict(int)
    active: dict[tuple[int, int, int], int] = defaultdict(int)
    for service_id, area_ids in areas_of.items():
        term_ids = terms_of.get(service_id, set())
        service_sectors = term_ids & sector_ids
        service_profiles = term_ids - sector_ids
        counted = service_id in accepting_ids
        for area_id in area_ids:
            for sector_id in service_sectors:
                for profile_id in service_profiles:
                    key = (area_id, sector_id, profile_id)
                    active[key] += 1
                    if counted:
                        accepting[key] += 1
    cube.accepting = dict(accepting)
    cube.active = dict(active)
    return cube


def cube_headers(cube: CoverageCube) -> tuple[list[str], list[str]]:
    """The human header row and the HXL hashtag row of the long export."""
    from django.utils.translation import gettext as _

    headers = [_("Country"), _("Region code"), _("Region")]
    tags = ["#country+code", "#adm1+code", "#adm1+name"]
    if cube.level == 2:
        headers += [_("District code"), _("District")]
        tags += ["#adm2+code", "#adm2+name"]
    headers += [
        _("Need code"),
        _("Need"),
        _("Profile code"),
        _("Profile"),
        _("Services accepting new people"),
        _("Active services"),
    ]
    tags += [
        "#sector+code",
        "#sector+name",
        "#beneficiary+code",
        "#beneficiary+name",
        "#indicator+num+services+accepting",
        "#indicator+num+services+active",
    ]
    return headers, tags


def cube_rows(cube: CoverageCube, language: str) -> Iterator[list[Any]]:
    """One line per area, sector and profile (zeros included), names in ``language``.

    The language is passed, not read while streaming, when the request may be over.
    """
    for area in cube.areas:
        region = cube_region(area)
        place: list[Any] = [
            area.country,
            region.code if region is not None else "",
            localized(region, "name", language) if region is not None else "",
        ]
        if cube.level == 2:
            district = area.level != 1
            place += [
                (area.pcode or area.code) if district else "",
                localized(area, "name", language) if district else "",
            ]
        for sector in cube.sectors:
            for profile in cube.profiles:
                key = (area.pk, sector.pk, profile.pk)
                yield [
                    *place,
                    sector.code,
                    localized(sector, "name", language),
                    profile.code,
                    localized(profile, "name", language),
                    cube.accepting.get(key, 0),
                    cube.active.get(key, 0),
                ]


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
