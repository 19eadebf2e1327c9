"""The illustrative pathways: published, pointing at the demo services, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ruta.audit.models import AuditEvent
from ruta.directory.demo import load_directory_demo
from ruta.pathways.demo import PATHWAYS, load_demo
from ruta.pathways.models import Pathway, PathwayCell, PathwayStatus

pytestmark = pytest.mark.django_db

MODELS = (Pathway, PathwayCell, PathwayCell.services.through, AuditEvent)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_twice_changes_nothing_the_second_time() -> None:
    load_directory_demo()
    first_output = load_demo().describe()
    first = _counts()
    second_output = load_demo().describe()
    assert _counts() == first
    assert first["Pathway"] == len(PATHWAYS)
    assert first_output == second_output
    assert f"{len(PATHWAYS)} published pathways with {first['PathwayCell']} cells" in first_output


def test_the_two_pathways_are_published_verified_and_point_at_their_services() -> None:
    load_directory_demo()
    load_demo()
    titles = {
        "Ruta de atención VBG — Lima Metropolitana": ("gbv", "PE-LMA"),
        "Ruta SMAPS — Tumbes": ("mhpss", "PE-TUM"),
    }
    assert Pathway.objects.count() == len(PATHWAYS) == 2
    for pathway in Pathway.objects.select_related("admin1"):
        assert (pathway.theme, pathway.admin1.code) == titles[pathway.title_es]
        assert pathway.status == PathwayStatus.PUBLISHED
        assert pathway.illustrative
        assert pathway.verified_at is not None
        cells = list(pathway.cells.select_related("profile__taxonomy").prefetch_related("services"))
        assert len(cells) >= 15
        assert {cell.role for cell in cells} == {1, 2}
        for cell in cells:
            assert cell.profile.taxonomy.code == "population"
            services = list(cell.services.all())
            assert services, cell
            assert all(s.organization_id == cell.organization_id for s in services)
        rows = {cell.organization_id for cell in cells}
        assert set(pathway.organizations.values_list("pk", flat=True)) == rows


def test_load_demo_loads_the_pathways_after_the_directory() -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert text.index("Directory demo:") < text.index("Pathways demo:")
    assert Pathway.objects.filter(illustrative=True).count() == len(PATHWAYS)
