"""The vocabularies Ruta ships: sectors, population profiles, IASC layers, and the
admin areas of ``ruta.places.areas``.

Loaded by a data migration (and re-applied, idempotently, by ``load_vocabularies``);
coordinators edit the terms afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any

from ruta.places.areas import load_regions

# Ids of taxonomies and terms are UUID5s of this namespace and their codes, so that every
# installation publishes the same ids for the same vocabulary (HSDS exchanges them).
VOCABULARY_NAMESPACE = uuid.UUID("e0af8815-840d-414c-86b3-bcee00c7a723")


def taxonomy_uuid(code: str) -> uuid.UUID:
    return uuid.uuid5(VOCABULARY_NAMESPACE, f"taxonomy:{code}")


def term_uuid(taxonomy_code: str, code: str) -> uuid.UUID:
    return uuid.uuid5(VOCABULARY_NAMESPACE, f"term:{taxonomy_code}:{code}")


# (code, name es, name en, description es, description en)
TAXONOMIES: list[tuple[str, str, str, str, str]] = [
    (
        "sector",
        "Necesidad / sector",
        "Need / sector",
        "Qué tipo de ayuda ofrece el servicio.",
        "What kind of help the service offers.",
    ),
    (
        "population",
        "Perfil de población",
        "Population profile",
        "A quién atiende el servicio.",
        "Whom the service serves.",
    ),
    (
        "iasc_layer",
        "Nivel de la pirámide IASC",
        "IASC pyramid layer",
        "Niveles de intervención de la Guía IASC de SMAPS en emergencias.",
        "Intervention layers of the IASC MHPSS guidelines in emergencies.",
    ),
]

# taxonomy code -> [(term code, es, en)]
TERMS: dict[str, list[tuple[str, str, str]]] = {
    "sector": [
        ("psychosocial_support", "Apoyo psicosocial", "Psychosocial support"),
        ("mental_health", "Atención en salud mental", "Mental health care"),
        ("gbv_case_management", "Gestión de casos de VBG", "GBV case management"),
        ("legal", "Orientación y asistencia legal", "Legal advice and assistance"),
        ("medical", "Atención médica", "Medical care"),
        ("srh", "Salud sexual y reproductiva", "Sexual and reproductive health"),
        ("formal_education", "Educación formal", "Formal education"),
        ("informal_education", "Educación no formal", "Informal education"),
        ("recreation", "Recreación", "Recreation"),
        ("child_protection", "Protección de la niñez", "Child protection"),
        ("shelter", "Albergue", "Shelter"),
        ("cash", "Transferencias monetarias (PTM)", "Cash and voucher assistance"),
        ("livelihoods", "Medios de vida", "Livelihoods"),
        ("food", "Alimentación", "Food"),
        ("documentation", "Documentación", "Documentation"),
        ("helpline", "Línea de orientación", "Helpline and remote guidance"),
    ],
    "population": [
        ("girls", "Niñas", "Girls"),
        ("boys", "Niños", "Boys"),
        ("women", "Mujeres", "Women"),
        ("men", "Hombres", "Men"),
        ("lgbtiq", "Personas LGBTIQ+", "LGBTIQ+ people"),
        ("disability", "Personas con discapacidad", "Persons with disabilities"),
        ("older", "Personas adultas mayores", "Older persons"),
        ("unaccompanied", "Niñez no acompañada o separada", "Unaccompanied and separated children"),
        ("in_transit", "Personas en tránsito", "People in transit"),
        ("other", "Otras personas", "Other people"),
    ],
    "iasc_layer": [
        ("layer1", "1 · Servicios básicos y seguridad", "1 · Basic services and security"),
        ("layer2", "2 · Apoyos comunitarios y familiares", "2 · Community and family supports"),
        (
            "layer3",
            "3 · Apoyos focalizados no especializados",
            "3 · Focused, non-specialised supports",
        ),
        ("layer4", "4 · Servicios especializados", "4 · Specialised services"),
    ],
}


def load(taxonomy_model: Any, term_model: Any, area_model: Any) -> None:
    """Create or update the shipped vocabularies (models passed in, for migrations)."""
    for code, es, en, d_es, d_en in TAXONOMIES:
        taxonomy, _created = taxonomy_model.objects.update_or_create(
            code=code,
            create_defaults={
                "uuid": taxonomy_uuid(code),
                "name_es": es,
                "name_en": en,
                "description_es": d_es,
                "description_en": d_en,
                "version": "1",
            },
            defaults={
                "name_es": es,
                "name_en": en,
                "description_es": d_es,
                "description_en": d_en,
                "version": "1",
            },
        )
        for position, (term_code, term_es, term_en) in enumerate(TERMS[code]):
            term_model.objects.update_or_create(
                taxonomy=taxonomy,
                code=term_code,
                create_defaults={
                    "uuid": term_uuid(code, term_code),
                    "name_es": term_es,
                    "name_en": term_en,
                    "position": position,
                },
                defaults={"name_es": term_es, "name_en": term_en, "position": position},
            )
    load_regions(area_model)


def rekey(taxonomy_model: Any, term_model: Any) -> None:
    """Give every taxonomy and term its deterministic id (from its codes). An id already
    taken (a term renamed, then another created with the old code) is left as it is."""
    taken = set(term_model.objects.values_list("uuid", flat=True))
    for taxonomy in taxonomy_model.objects.all():
        taxonomy.uuid = taxonomy_uuid(taxonomy.code)
        taxonomy.save(update_fields=["uuid"])
    for term in term_model.objects.select_related("taxonomy").order_by("pk"):
        wanted = term_uuid(term.taxonomy.code, term.code)
        if wanted == term.uuid or wanted in taken:
            continue
        taken.discard(term.uuid)
        taken.add(wanted)
        term.uuid = wanted
        term.save(update_fields=["uuid"])
