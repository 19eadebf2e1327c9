"""Practices for tests, built through the actions (so the search text is maintained)."""

from __future__ import annotations

from typing import Any

from ruta.practices import actions
from ruta.practices.models import SDG, GCMObjective, IascLayer, Practice, Theme


def practice_values(code: str = "BP_TEST", **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": code,
        "title_es": "Apoyo psicosocial en la espera de transferencias",
        "title_en": "Psychosocial support while waiting for transfers",
        "finding_es": "La protección de la niñez mejora con espacios seguros.",
        "finding_en": "Child protection improves with safe spaces.",
        "countries": ["PE"],
        "themes": list(Theme.objects.filter(code="mhpss")),
        "iasc_layers": list(IascLayer.objects.filter(number=2)),
        "sdgs": list(SDG.objects.filter(number=3)),
        "gcm_objectives": list(GCMObjective.objects.filter(number=7)),
    }
    values.update(extra)
    return values


def make_practice(
    world: Any, code: str = "BP_TEST", status: str = "draft", **extra: Any
) -> Practice:
    """A practice of CARE written by CARE's agency admin, taken to ``status``."""
    author = world.user("agency_admin.care")
    coordinator = world.user("coordinator")
    practice = actions.create_practice(author, practice_values(code, **extra))
    if status == "draft":
        return practice
    practice = actions.submit_practice(author, practice)
    if status == "submitted":
        return practice
    practice = actions.review_practice(coordinator, practice, "Bien documentada.")
    if status == "reviewed":
        return practice
    return actions.publish_practice(coordinator, practice)
