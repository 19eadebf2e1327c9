"""The shipped reasons for contact and risk screening questions (seeded by migration 0002,
kept as data: an agency may rename, reorder, deactivate or add to them)."""

from __future__ import annotations

from typing import Any

# (code, Spanish, English)
REASONS: list[tuple[str, str, str]] = [
    ("emotional_distress", "Malestar emocional", "Emotional distress"),
    ("gbv", "Violencia basada en género", "Gender-based violence"),
    ("violence", "Otra violencia", "Other violence"),
    ("legal", "Orientación legal o documentación", "Legal advice or documentation"),
    ("shelter", "Alojamiento", "Shelter"),
    ("health", "Salud", "Health"),
    ("food", "Alimentación", "Food"),
    ("cash", "Asistencia monetaria", "Cash assistance"),
    ("information", "Información", "Information"),
]

# (code, Spanish, English, directory sectors of its emergency services)
RISK_QUESTIONS: list[tuple[str, str, str, list[str]]] = [
    (
        "suicidal_now",
        "¿Tiene ahora pensamientos de quitarse la vida?",
        "Are they thinking of ending their life now?",
        ["mental_health", "medical"],
    ),
    (
        "plan_or_means",
        "¿Tiene un plan o los medios para hacerlo?",
        "Do they have a plan or the means to do it?",
        ["mental_health", "medical"],
    ),
    (
        "immediate_danger",
        "¿Está en peligro inmediato por alguien?",
        "Are they in immediate danger from someone?",
        ["gbv_case_management", "shelter", "legal"],
    ),
    (
        "child_at_risk",
        "¿Hay una niña, niño o adolescente en riesgo?",
        "Is a child at risk?",
        ["child_protection"],
    ),
]


def load(reason_model: Any, question_model: Any) -> None:
    for position, (code, es, en) in enumerate(REASONS):
        reason_model.objects.get_or_create(
            code=code, defaults={"name_es": es, "name_en": en, "position": position}
        )
    for position, (code, es, en, sectors) in enumerate(RISK_QUESTIONS):
        question_model.objects.get_or_create(
            code=code,
            defaults={"text_es": es, "text_en": en, "sectors": sectors, "position": position},
        )
