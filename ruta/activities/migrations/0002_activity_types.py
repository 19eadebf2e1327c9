"""The starting list of activity types (editable afterwards in the admin as data)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TYPES = [
    ("support_group", "Grupo de apoyo", "Support group", 2),
    ("psychoeducation", "Psicoeducación", "Psychoeducation", 2),
    ("art_therapy", "Arteterapia y actividades expresivas", "Art therapy and expressive activities", 2),
    (
        "ipt_pm_group",
        "Grupo IPT/PM+ facilitado por personal no especializado",
        "IPT/PM+ group run by lay workers",
        3,
    ),
    ("community_event", "Evento comunitario", "Community event", 2),
    ("awareness_session", "Sesión de sensibilización", "Awareness session", 2),
    ("child_friendly_space", "Espacio amigable para la niñez", "Child-friendly space", 2),
    (
        "community_agent_training",
        "Formación de agentes comunitarios",
        "Training of community agents",
        2,
    ),
    ("pfa_group", "Primeros auxilios psicológicos en grupo", "Psychological first aid in groups", 2),
]


def add_types(apps: Any, schema_editor: Any) -> None:
    ActivityType = apps.get_model("activities", "ActivityType")
    for position, (code, name_es, name_en, layer) in enumerate(TYPES):
        ActivityType.objects.update_or_create(
            code=code,
            defaults={
                "name_es": name_es,
                "name_en": name_en,
                "default_layer": layer,
                "position": position,
            },
        )


def remove_types(apps: Any, schema_editor: Any) -> None:
    apps.get_model("activities", "ActivityType").objects.filter(
        code__in=[code for code, *_rest in TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(add_types, remove_types)]
