"""Import area outlines from a GeoJSON FeatureCollection: the map of the reach dashboard.

Each feature is a Polygon or MultiPolygon (lon/lat, WGS 84, as GeoJSON requires) whose
properties carry the code of an area Ruta already knows: an ISO 3166-2 region code
(``PE-LIM``) or a P-code (``PE15``, ``PE150101``), level 1 or 2. The coordinator names the
property, or the first of ``COMMON_PROPERTIES`` that a feature has is used.

The whole file is checked first; nothing is written unless every feature is valid. An
outline is stored simplified (``simplify``): Douglas-Peucker at ``TOLERANCE`` degrees,
then coordinates rounded to ``DECIMALS`` places. Importing again replaces an area's
outline; areas the file does not name keep theirs.

Why no GIS library: the outlines are only stored and drawn small (a map a few hundred
pixels wide on a staff dashboard), never queried spatially. GeoDjango would need GDAL,
GEOS and a spatial database (PostGIS, SpatiaLite) on every machine, and a geometry
package a compiled dependency, for what a thirty-line Douglas-Peucker and a check of the
GeoJSON structure do here.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.lib.issues import Issue
from ruta.places.gazetteer import Result
from ruta.places.models import AdminArea, Boundary

if TYPE_CHECKING:
    from ruta.accounts.models import User

MAX_FILE_MB = 5
MAX_POINTS = 200_000  # in the whole file, before simplification: bounds the work (seconds)
TOLERANCE = 0.01  # degrees: about 1.1 km, far below a pixel of the dashboard's map
DECIMALS = 3  # about 110 m
COMMON_PROPERTIES = (
    "code",
    "iso_3166_2",
    "iso3166_2",
    "iso_code",
    "pcode",
    "ADM1_PCODE",
    "ADM2_PCODE",
    "shapeISO",
)
Ring = list[tuple[float, float]]
Polygon = list[Ring]  # the exterior, then any holes


# --- Simplification ----------------------------------------------------------------------


def _distance(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """The distance from ``point`` to the segment ``a``-``b`` (planar, in degrees)."""
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(line: Ring, tolerance: float) -> Ring:
    """The points of ``line`` that keep it within ``tolerance`` of the original (its
    ends always kept). Iterative, so a long coastline cannot exhaust the stack."""
    if len(line) < 3:
        return list(line)
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        far, index = 0.0, first
        for i in range(first + 1, last):
            d = _distance(line[i], line[first], line[last])
            if d > far:
                far, index = d, i
        if far > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [point for point, kept in zip(line, keep, strict=True) if kept]


def _simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring simplified and rounded; fewer than 4 points when it collapses."""
    # A closed ring starts and ends on the same point, which Douglas-Peucker would keep
    # alone: split it at the point farthest from the start so that both halves count.
    # First drop the points closer than half the tolerance to the last one kept (one
    # pass, cheap): a densely digitised coastline reaches Douglas-Peucker much shorter.
    near = tolerance / 2
    sparse = [ring[0]]
    for point in ring[1:-1]:
        if math.hypot(point[0] - sparse[-1][0], point[1] - sparse[-1][1]) >= near:
            sparse.append(point)
    sparse.append(ring[-1])
    ring = sparse
    start = ring[0]
    far = max(
        range(len(ring)), key=lambda i: math.hypot(ring[i][0] - start[0], ring[i][1] - start[1])
    )
    halves = (
        douglas_peucker(ring[: far + 1], tolerance) + douglas_peucker(ring[far:], tolerance)[1:]
    )
    rounded: Ring = []
    for x, y in halves:
        point = (round(x, DECIMALS), round(y, DECIMALS))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded


def simplify(polygons: list[Polygon], tolerance: float = TOLERANCE) -> list[Polygon]:
    """``polygons`` simplified: rings that collapse below a triangle are dropped, and an
    area that would vanish keeps its largest exterior ring, rounded only."""
    kept: list[Polygon] = []
    for polygon in polygons:
        exterior = _simplify_ring(polygon[0], tolerance)
        if len(exterior) < 4:
            continue
        holes = [_simplify_ring(hole, tolerance) for hole in polygon[1:]]
        kept.append([exterior, *(hole for hole in holes if len(hole) >= 4)])
    if not kept and polygons:
        largest = max((polygon[0] for polygon in polygons), key=_area)
        kept = [[[(round(x, DECIMALS), round(y, DECIMALS)) for x, y in largest]]]
    return kept


def _area(ring: Ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)))


# --- Checking ----------------------------------------------------------------------------


class _Checker:
    def __init__(self, filename: str, code_property: str) -> None:
        self.filename = filename
        self.code_property = code_property
        self.errors: list[Issue] = []
        self.points = 0

    def error(self, number: int, where: str, reason: str) -> None:
        self.errors.append(Issue(self.filename, number, where, reason))

    def read(self, data: bytes) -> list[Any] | None:
        if len(data) > MAX_FILE_MB * 1024 * 1024:
            self.error(0, "", _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_MB})
            return None
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            self.error(0, "", _("The file is not UTF-8 text."))
            return None
        except json.JSONDecodeError as exc:
            self.error(
                exc.lineno,
                "",
                _("The file is not valid JSON (line %(line)s, column %(column)s): %(error)s")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            )
            return None
        if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
            self.error(0, "type", _("The file is not a GeoJSON FeatureCollection."))
            return None
        features = document.get("features")
        if not isinstance(features, list) or not features:
            self.error(0, "features", _("The FeatureCollection has no features."))
            return None
        return features

    def plan(self, features: list[Any]) -> dict[int, tuple[AdminArea, list[Polygon]]]:
        areas: dict[str, AdminArea] = {}
        for known in AdminArea.objects.all():
            areas[known.code.upper()] = known
            if known.pcode:
                areas.setdefault(known.pcode.upper(), known)
        planned: dict[int, tuple[AdminArea, list[Polygon]]] = {}
        seen: dict[int, int] = {}  # area pk -> feature number
        for number, feature in enumerate(features, start=1):
            area = self._area(number, feature, areas)
            polygons = self._polygons(number, feature)
            if area is None or polygons is None:
                continue
            if area.pk in seen:
                self.error(
                    number,
                    self._property_name(feature),
                    _("The area %(code)s is already in feature %(number)s.")
                    % {"code": area.code, "number": seen[area.pk]},
                )
                continue
            seen[area.pk] = number
            planned[area.pk] = (area, polygons)
        if self.points > MAX_POINTS:
            self.error(
                0,
                "",
                _(
                    "The file has %(count)s points; at most %(max)s are accepted. Simplify "
                    "the outlines first (for example with mapshaper)."
                )
                % {"count": self.points, "max": MAX_POINTS},
            )
        return planned

    def _property_name(self, feature: Any) -> str:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if self.code_property:
            return f"properties.{self.code_property}"
        if isinstance(properties, dict):
            for name in COMMON_PROPERTIES:
                if properties.get(name) not in (None, ""):
                    return f"properties.{name}"
        return "properties"

    def _area(self, number: int, feature: Any, areas: dict[str, AdminArea]) -> AdminArea | None:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            self.error(number, "type", _("This is not a GeoJSON Feature."))
            return None
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            properties = {}
        where = self._property_name(feature)
        value = properties.get(where.removeprefix("properties."))
        if value in (None, ""):
            if self.code_property:
                reason = _("The property “%(name)s” is missing or empty.") % {
                    "name": self.code_property
                }
            else:
                reason = _("No property gives the area's code (tried %(names)s).") % {
                    "names": ", ".join(COMMON_PROPERTIES)
                }
            self.error(number, where, reason)
            return None
        code = str(value).strip().upper()
        area = areas.get(code)
        if area is None:
            self.error(
                number,
                where,
                _("No area has the code or P-code %(code)s: import the gazetteer first.")
                % {"code": code[:40]},
            )
        return area

    def _polygons(self, number: int, feature: Any) -> list[Polygon] | None:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict):
            self.error(number, "geometry", _("The feature has no geometry."))
            return None
        kind = geometry.get("type")
        coordinates = geometry.get("coordinates")
        raw: list[Any] | None
        if kind == "Polygon":
            raw = [coordinates]
        elif kind == "MultiPolygon":
            raw = coordinates if isinstance(coordinates, list) else None
        else:
            self.error(
                number,
                "geometry.type",
                _("The geometry is a %(kind)s, not a Polygon or MultiPolygon.")
                % {"kind": str(kind)[:40]},
            )
            return None
        polygons: list[Polygon] = []
        for polygon in raw or [None]:
            rings = self._rings(polygon)
            if rings is None:
                self.error(
                    number,
                    "geometry.coordinates",
                    _(
                        "The geometry is not valid: each ring needs at least 4 positions "
                        "[longitude, latitude] within range, its last one equal to its first."
                    ),
                )
                return None
            polygons.append(rings)
        return polygons

    def _rings(self, polygon: Any) -> Polygon | None:
        if not isinstance(polygon, list) or not polygon:
            return None
        rings: Polygon = []
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return None
            points: Ring = []
            for position in ring:
                if (
                    not isinstance(position, list)
                    or len(position) < 2
                    or not all(
                        isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2]
                    )
                ):
                    return None
                lon, lat = float(position[0]), float(position[1])
                if not (math.isfinite(lon) and math.isfinite(lat)):
                    return None
                if abs(lon) > 180 or abs(lat) > 90:
                    return None
                points.append((lon, lat))
            if points[0] != points[-1]:
                return None
            self.points += len(points)
            rings.append(points)
        return rings


def geometry_of(polygons: list[Polygon]) -> dict[str, Any]:
    return {
        "type": "MultiPolygon",
        "coordinates": [[[[x, y] for x, y in ring] for ring in polygon] for polygon in polygons],
    }


def run_import(
    data: bytes,
    filename: str,
    *,
    code_property: str = "",
    dry_run: bool = True,
    actor: User | None = None,
    request: Any = None,
) -> Result:
    """Check a GeoJSON file of outlines and, unless ``dry_run`` or anything is wrong,
    store every outline it holds (simplified) in one transaction."""
    checker = _Checker(filename, code_property.strip())
    features = checker.read(data)
    if features is None:
        return Result(valid=False, dry_run=dry_run, errors=checker.errors)
    with transaction.atomic():
        planned = checker.plan(features)
        valid = not checker.errors
        counts: dict[str, int] = {}
        if valid:
            simplified = {pk: simplify(polygons) for pk, (_area, polygons) in planned.items()}
            kept = sum(len(ring) for polys in simplified.values() for p in polys for ring in p)
            counts = {
                "regions": sum(1 for area, _p in planned.values() if area.level == 1),
                "districts": sum(1 for area, _p in planned.values() if area.level != 1),
                "points_read": checker.points,
                "points_kept": kept,
            }
            if not dry_run:
                for pk, polygons in simplified.items():
                    geometry = geometry_of(polygons)
                    points = sum(len(ring) for polygon in polygons for ring in polygon)
                    Boundary.objects.update_or_create(
                        area_id=pk, defaults={"geometry": geometry, "points": points}
                    )
                record(
                    "places.boundaries_imported",
                    actor=actor,
                    request=request,
                    details={
                        "features": len(features),
                        "areas": sorted(area.code for area, _p in planned.values())[:200],
                        **counts,
                    },
                )
    errors = sorted(checker.errors, key=lambda issue: issue.line)
    return Result(valid=valid, dry_run=dry_run, errors=errors, counts=counts)


def count_labels(counts: dict[str, int], *, done: bool) -> list[tuple[str, int]]:
    """The counts of a check or an import, labelled for people."""
    if not counts:
        return []
    labels = {
        "regions": _("Regions given an outline") if done else _("Regions to give an outline"),
        "districts": _("Districts given an outline") if done else _("Districts to give an outline"),
        "points_read": _("Points in the file"),
        "points_kept": _("Points kept after simplification"),
    }
    return [(label, counts.get(key, 0)) for key, label in labels.items()]


def outlines(codes: list[str]) -> dict[str, list[Polygon]]:
    """The stored outlines of the areas with these codes, by code (those that have one)."""
    found: dict[str, list[Polygon]] = {}
    for code, geometry in Boundary.objects.filter(area__code__in=codes).values_list(
        "area__code", "geometry"
    ):
        found[code] = [
            [[(float(x), float(y)) for x, y in ring] for ring in polygon]
            for polygon in geometry.get("coordinates", [])
        ]
    return found
