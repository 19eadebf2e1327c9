from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import timezone

from ruta.indicators import loader
from ruta.indicators.computations import COMPUTATIONS
from ruta.indicators.models import Framework, Indicator, Level, ServicePackageActivity

pytestmark = pytest.mark.django_db


def test_every_shipped_file_is_loaded_by_the_migration() -> None:
    for path in loader.files():
        data = json.loads(path.read_text(encoding="utf-8"))
        framework = Framework.objects.get(code=data["framework"]["code"])
        assert framework.name_es and framework.name_en
        codes = {item["code"] for item in data["items"]}
        shipped = set(framework.indicators.values_list("code", flat=True)) | set(
            framework.activities.values_list("code", flat=True)
        )
        assert codes == shipped


def test_every_named_computation_exists_and_every_indicator_is_worded_twice() -> None:
    for indicator in Indicator.objects.all():
        assert indicator.wording_es.strip() and indicator.wording_en.strip(), indicator.code
        assert indicator.level in Level.values
        if indicator.computation:
            assert indicator.computation in COMPUTATIONS, indicator.code
    assert Indicator.objects.filter(computation="people_reached").exists()


def test_loading_again_keeps_a_coordinators_edit_and_changes_nothing_else() -> None:
    before = Indicator.objects.count() + ServicePackageActivity.objects.count()
    edited = Indicator.objects.get(framework__code="ruta-network", code="R1")
    edited.wording_en = "People reached (network wording)"
    edited.edited_at = timezone.now()
    edited.save()
    untouched = Indicator.objects.get(framework__code="ruta-network", code="R2")
    untouched.wording_en = "changed by hand without saying so"
    untouched.save()

    loaded = loader.load_all()

    assert sum(created for created, _updated in loaded.values()) == 0
    assert Indicator.objects.count() + ServicePackageActivity.objects.count() == before
    edited.refresh_from_db()
    untouched.refresh_from_db()
    assert edited.wording_en == "People reached (network wording)"
    assert untouched.wording_en != "changed by hand without saying so"


def test_a_file_links_each_item_to_its_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "x.json").write_text(
        json.dumps(
            {
                "framework": {"code": "x-test", "name_es": "X", "name_en": "X"},
                "items": [
                    {"code": "G", "level": "goal", "wording_es": "m", "wording_en": "g"},
                    {
                        "code": "G.1",
                        "level": "goal_indicator",
                        "parent": "G",
                        "wording_es": "% i",
                        "wording_en": "% i",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(loader, "DATA", tmp_path)
    assert loader.load_all() == {"x.json": (2, 0)}
    child = Indicator.objects.get(framework__code="x-test", code="G.1")
    assert child.parent is not None and child.parent.code == "G"
    assert child.unit == "percent"
