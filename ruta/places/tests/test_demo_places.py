"""The places demo step: it checks the shipped regions and writes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from ruta.places.demo import areas_by_code, load_demo, remove_demo
from ruta.places.demo_outlines import BOXES
from ruta.places.models import AdminArea, Boundary

pytestmark = pytest.mark.django_db


def test_load_demo_creates_nothing_and_tells_what_is_there() -> None:
    before = AdminArea.objects.count()
    summary = load_demo()
    assert AdminArea.objects.count() == before
    assert summary.regions == AdminArea.objects.filter(level=1).count() > 0
    assert summary.districts == 0
    assert "no area created" in summary.describe()


def test_demo_outlines_are_rough_boxes_that_go_away_unless_replaced() -> None:
    summary = load_demo()
    assert summary.outlines == len(BOXES) == Boundary.objects.count()
    assert "rough demo outlines" in summary.describe()
    lima = Boundary.objects.get(area__code="PE-LIM").geometry["coordinates"][0]
    assert len(lima) == 3  # Lima Metropolitana and Callao are holes in it
    assert load_demo().outlines == 0  # idempotent
    # A coordinator's real outline is neither replaced by the demo nor removed with it.
    real = Boundary.objects.get(area__code="PE-TUM")
    real.geometry = {
        "type": "MultiPolygon",
        "coordinates": [[[[-81, -4], [-80, -4], [-80, -3], [-81, -4]]]],
    }
    real.save()
    assert remove_demo().count == len(BOXES) - 1
    assert list(Boundary.objects.values_list("area__code", flat=True)) == ["PE-TUM"]
    assert load_demo().outlines == len(BOXES) - 1


def test_missing_regions_are_named() -> None:
    AdminArea.objects.filter(code="PE-TUM").update(code="XX-TUM")
    with pytest.raises(ImproperlyConfigured, match="PE-TUM"):
        load_demo()
    with pytest.raises(ImproperlyConfigured, match="PE-TUM"):
        areas_by_code(["PE-LMA", "PE-TUM"])
