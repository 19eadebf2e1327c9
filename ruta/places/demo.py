"""The places the demo stands on: the regions the migrations ship, checked, never made up.

``load_demo()`` writes no area: the regions and their points come with ``migrate``, and
districts only come from a gazetteer a coordinator imports. It tells what is there and
refuses to go on when the shipped regions are missing. It does give the regions the demo
reaches rough box outlines (``demo_outlines``: not real boundaries), through the same
import a coordinator uses, so that the reach dashboard shows a map; ``remove_demo()``
takes away those outlines that are still the demo's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from ruta.lib.demo import Removed
from ruta.places import boundaries
from ruta.places.areas import AREA_POINTS
from ruta.places.demo_outlines import BOXES, feature_collection
from ruta.places.models import AdminArea, Boundary

DEMO_FILE = "rough-demo-outlines.geojson"


@dataclass
class PlacesSummary:
    regions: int
    districts: int
    outlines: int = 0

    def describe(self) -> str:
        return (
            f"Places demo: {self.regions} regions and {self.districts} districts "
            "(shipped by the migrations; no area created); "
            f"{self.outlines} rough demo outlines."
        )


def areas_by_code(codes: Iterable[str]) -> dict[str, AdminArea]:
    """The areas with these codes, by code; an error naming any that is missing."""
    wanted = set(codes)
    areas = {area.code: area for area in AdminArea.objects.filter(code__in=wanted)}
    missing = wanted - set(areas)
    if missing:
        raise ImproperlyConfigured(f"Admin areas missing (run migrate first): {sorted(missing)}")
    return areas


def load_demo() -> PlacesSummary:
    """Check that the regions the demo uses are there (it creates no area) and give the
    regions without an outline a rough demo one (idempotent; a real one is kept)."""
    areas_by_code(AREA_POINTS)
    outlined = set(Boundary.objects.values_list("area__code", flat=True))
    collection = feature_collection()
    features = [f for f in collection["features"] if f["properties"]["code"] not in outlined]
    if features:
        data = json.dumps({**collection, "features": features}).encode()
        result = boundaries.run_import(data, DEMO_FILE, dry_run=False)
        if not result.valid:
            raise ImproperlyConfigured(f"Demo outlines rejected: {result.errors[:3]}")
    return PlacesSummary(
        regions=AdminArea.objects.filter(level=1).count(),
        districts=AdminArea.objects.filter(level=2).count(),
        outlines=len(features),
    )


def remove_demo() -> Removed:
    """Delete the rough demo outlines that are still as the demo made them."""
    demo = json.loads(json.dumps(feature_collection()))
    shapes = {
        f["properties"]["code"]: boundaries.simplify(
            [[[(x, y) for x, y in ring] for ring in f["geometry"]["coordinates"]]]
        )
        for f in demo["features"]
    }
    doomed = [
        b.pk
        for b in Boundary.objects.filter(area__code__in=BOXES).select_related("area")
        if b.geometry == boundaries.geometry_of(shapes[b.area.code])
    ]
    count, _by_model = Boundary.objects.filter(pk__in=doomed).delete()
    return Removed("area outlines", count)
