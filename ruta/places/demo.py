"""The places the demo stands on: the regions the migrations ship, checked, never made up.

``load_demo()`` writes nothing: the regions and their points come with ``migrate``, and
districts only come from a gazetteer a coordinator imports. It tells what is there and
refuses to go on when the shipped regions are missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from ruta.places.areas import AREA_POINTS
from ruta.places.models import AdminArea


@dataclass
class PlacesSummary:
    regions: int
    districts: int

    def describe(self) -> str:
        return (
            f"Places demo: {self.regions} regions and {self.districts} districts "
            "(shipped by the migrations; nothing created)."
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
    """Check that the regions the demo uses are there (idempotent: it creates nothing)."""
    areas_by_code(AREA_POINTS)
    return PlacesSummary(
        regions=AdminArea.objects.filter(level=1).count(),
        districts=AdminArea.objects.filter(level=2).count(),
    )
