"""Loading the shipped frameworks (``data/*.json``) into the database, idempotently.

A file holds one framework and its items: indicators (with ``level``) or, for the IASC
Minimum Service Package, activities (with ``title_*``). Loading again updates what
changed in the file, except an indicator a coordinator has edited since (its
``edited_at`` is set): their wording wins. Nothing is deleted: an item dropped from a
file stays, so that projects that selected it keep their history.

Takes the model classes as arguments so that a data migration can call it with the
historical models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
# The order in which the frameworks are listed.
POSITIONS = {"iasc-mhpss-me": 1, "iasc-mhpss-msp": 2, "ruta-network": 3}


def _unit(item: dict[str, Any]) -> str:
    if item.get("unit"):
        return str(item["unit"])
    percent = str(item.get("computation", "")).endswith("_pct") or str(
        item.get("wording_en", "")
    ).lstrip().startswith("%")
    return "percent" if percent else "count"


def files() -> list[Path]:
    return sorted(DATA.glob("*.json"))


def load_file(path: Path, models: dict[str, Any]) -> tuple[int, int]:
    """Load one file; gives (items created, items updated)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    head = data["framework"]
    framework, _created = models["Framework"].objects.update_or_create(
        code=head["code"],
        defaults={
            "name_es": head["name_es"],
            "name_en": head["name_en"],
            "version": head.get("version", ""),
            "publisher": head.get("publisher", ""),
            "source_url": head.get("source_url", ""),
            "note_es": head.get("note_es", ""),
            "note_en": head.get("note_en", ""),
            "position": POSITIONS.get(head["code"], 9),
        },
    )
    created = updated = 0
    for position, item in enumerate(data["items"]):
        if "title_en" in item:
            _obj, new = models["ServicePackageActivity"].objects.update_or_create(
                framework=framework,
                code=item["code"],
                defaults={
                    "area_es": item.get("area_es", ""),
                    "area_en": item.get("area_en", ""),
                    "title_es": item["title_es"],
                    "title_en": item["title_en"],
                    "verified": bool(item.get("verified")),
                    "source": item.get("source", ""),
                    "position": position,
                },
            )
        else:
            new = _load_indicator(models["Indicator"], framework, item, position)
            if new is None:
                continue
        created, updated = (created + 1, updated) if new else (created, updated + 1)
    return created, updated


def _load_indicator(model: Any, framework: Any, item: dict[str, Any], position: int) -> bool | None:
    existing = model.objects.filter(framework=framework, code=item["code"]).first()
    if existing is not None and existing.edited_at is not None:
        return None
    parent = None
    if item.get("parent"):
        parent = model.objects.filter(framework=framework, code=item["parent"]).first()
    values = {
        "parent": parent,
        "level": item["level"],
        "wording_es": item["wording_es"],
        "wording_en": item["wording_en"],
        "disaggregation": list(item.get("disaggregation") or []),
        "mov_es": item.get("mov_es", ""),
        "mov_en": item.get("mov_en", ""),
        "unit": _unit(item),
        "computation": item.get("computation", ""),
        "verified": bool(item.get("verified")),
        "source": item.get("source", ""),
        "position": position,
    }
    if existing is None:
        model.objects.create(framework=framework, code=item["code"], **values)
        return True
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    return False


def load_all(models: dict[str, Any] | None = None) -> dict[str, tuple[int, int]]:
    if models is None:
        from ruta.indicators import models as app_models

        models = {
            "Framework": app_models.Framework,
            "Indicator": app_models.Indicator,
            "ServicePackageActivity": app_models.ServicePackageActivity,
        }
    return {path.name: load_file(path, models) for path in files()}
