"""The places demo step: it checks the shipped regions and writes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from ruta.places.demo import areas_by_code, load_demo
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db


def test_load_demo_creates_nothing_and_tells_what_is_there() -> None:
    before = AdminArea.objects.count()
    summary = load_demo()
    assert AdminArea.objects.count() == before
    assert summary.regions == AdminArea.objects.filter(level=1).count() > 0
    assert summary.districts == 0
    assert "nothing created" in summary.describe()


def test_missing_regions_are_named() -> None:
    AdminArea.objects.filter(code="PE-TUM").update(code="XX-TUM")
    with pytest.raises(ImproperlyConfigured, match="PE-TUM"):
        load_demo()
    with pytest.raises(ImproperlyConfigured, match="PE-TUM"):
        areas_by_code(["PE-LMA", "PE-TUM"])
