"""The words a service is found by: its folded ``search_text``.

Names, descriptions, eligibility, organization, terms, places and the areas it reaches, in
both languages, plus the words people type for what the plain fields say (free of charge,
no documents, by phone...) and for what the sector terms mean (a psychologist, a lawyer).

Pure: it reads attributes only, so the data migration that refreshes existing rows calls
it with historical models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ruta.lib.text import fold

# Spanish and English, accent-free. A query word matches when it is part of a stored word,
# so a plural ("psicologos") also finds its singular ("psicologo").
FREE_WORDS = "gratis gratuito gratuita gratuitos gratuitas free"
NO_DOCUMENTS_WORDS = "sin documentos no documents"
MODALITY_WORDS: dict[str, str] = {
    "in_person": "presencial presenciales in person",
    "by_phone": "telefono por telefono telefonica llamada phone telephone call",
    "online": "en linea virtual online",
    "outreach": "itinerante brigada movil outreach mobile",
}

_PSYCHOLOGY = "psicologos psicologas psicologia psychologists psychology"

# Term code (of any taxonomy) -> words people type for it, beyond the term's own names.
TERM_WORDS: dict[str, str] = {
    "psychosocial_support": f"{_PSYCHOLOGY} emocional emotional counselling",
    "mental_health": f"{_PSYCHOLOGY} psiquiatras psiquiatria psychiatrist terapia therapy",
    "gbv_case_management": "violencia violence vbg gbv maltrato abuso abuse",
    "legal": "abogados abogadas asesoria legal lawyer legal aid",
    "medical": "medicos medicas doctores doctor salud health clinica clinic",
    "srh": "salud sexual reproductiva anticonceptivos contraception embarazo pregnancy",
    "shelter": "albergue refugio casa alojamiento shelter housing",
    "child_protection": "ninos ninas infancia children proteccion protection",
    "cash": "dinero efectivo bono cash money",
    "food": "comida alimentos food",
    "documentation": "documentos papeles regularizacion documents papers",
    "helpline": "linea telefonica helpline hotline",
    "formal_education": "escuela colegio school educacion education",
    "informal_education": "talleres cursos workshops courses",
    "livelihoods": "empleo trabajo job work",
}


def compose(
    service: Any,
    *,
    organization: Any,
    terms: Iterable[Any],
    locations: Iterable[Any],
    areas: Iterable[Any],
) -> str:
    """The folded search text of ``service``.

    ``terms`` are taxonomy terms; ``locations`` its places (with ``admin1`` loaded or
    None); ``areas`` the admin areas it reaches.
    """
    parts: list[str] = [
        service.name_es,
        service.name_en,
        service.description_es,
        service.description_en,
        service.eligibility_es,
        service.eligibility_en,
        organization.name,
        organization.acronym,
    ]
    for term in terms:
        parts += [term.name_es, term.name_en, TERM_WORDS.get(term.code, "")]
    for location in locations:
        parts += [location.name, location.city, location.address]
        if location.admin1 is not None:
            parts.append(location.admin1.name_es)
    for area in areas:
        parts += [area.name_es, area.name_en]
    if service.is_free:
        parts.append(FREE_WORDS)
    if not service.documents_required:
        parts.append(NO_DOCUMENTS_WORDS)
    parts += [words for flag, words in MODALITY_WORDS.items() if getattr(service, flag)]
    return fold(" ".join(part for part in parts if part))
