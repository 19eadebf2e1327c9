"""The fixed vocabulary of Ruta's HSDS: versions, statuses, days, synthetic ids and terms,
UTC offsets. Shared by the serializers and the importer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from ruta.directory.models import (
    ServiceStatus,
    Weekday,
)

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
# Fixed forever: changing it changes every synthetic id Ruta has ever published.
NAMESPACE = uuid.UUID("38956d1c-0621-462a-8fa8-68bbff5c64eb")
LANGUAGES = ("es", "en")

STATUS_TO_HSDS = {
    ServiceStatus.ACTIVE: "active",
    ServiceStatus.SUSPENDED: "temporarily closed",
    ServiceStatus.CLOSED: "defunct",
    ServiceStatus.DRAFT: "inactive",
}
HSDS_TO_STATUS = {
    "active": ServiceStatus.ACTIVE,
    "temporarily closed": ServiceStatus.SUSPENDED,
    "inactive": ServiceStatus.SUSPENDED,
    "defunct": ServiceStatus.CLOSED,
}
BYDAY = {
    Weekday.MONDAY: "MO",
    Weekday.TUESDAY: "TU",
    Weekday.WEDNESDAY: "WE",
    Weekday.THURSDAY: "TH",
    Weekday.FRIDAY: "FR",
    Weekday.SATURDAY: "SA",
    Weekday.SUNDAY: "SU",
}
DAY_FROM_BYDAY = {code: int(day) for day, code in BYDAY.items()}
ALL_DAYS = ",".join(BYDAY.values())


def synthetic_id(*parts: Any) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts))


# --- Synthetic taxonomies -------------------------------------------------------------


@dataclass(frozen=True)
class VirtualTerm:
    """A fixed taxonomy term, shaped like ``TaxonomyTerm`` for the serializers."""

    taxonomy_code: str
    code: str
    name_es: str
    name_en: str
    description_es: str = ""
    description_en: str = ""

    @cached_property
    def uuid(self) -> uuid.UUID:
        return synthetic_id("term", self.taxonomy_code, self.code)

    @property
    def taxonomy(self) -> VirtualTaxonomy:
        return VIRTUAL_TAXONOMIES[self.taxonomy_code]

    parent = None
    parent_id = None


@dataclass(frozen=True)
class VirtualTaxonomy:
    code: str
    name_es: str
    name_en: str
    description_es: str
    description_en: str
    terms: tuple[VirtualTerm, ...] = field(default=())
    uri: str = ""
    version: str = "1"

    @cached_property
    def uuid(self) -> uuid.UUID:
        return synthetic_id("taxonomy", self.code)


def _virtual(
    code: str, names: tuple[str, str, str, str], terms: list[tuple[str, str, str]]
) -> VirtualTaxonomy:
    return VirtualTaxonomy(
        code,
        *names,
        terms=tuple(VirtualTerm(code, term, es, en) for term, es, en in terms),
    )


MODALITY = "ruta_modality"
INTAKE = "ruta_intake"
PHONE_FEATURE = "ruta_phone"
FLAG = "ruta_flag"
MODALITY_FIELDS = ("in_person", "by_phone", "online", "outreach")

VIRTUAL_TAXONOMIES: dict[str, VirtualTaxonomy] = {
    t.code: t
    for t in (
        _virtual(
            MODALITY,
            (
                "Modalidad de atención",
                "Delivery modality",
                "Cómo se presta el servicio.",
                "How the service is delivered.",
            ),
            [
                ("in_person", "Presencial", "In person"),
                ("by_phone", "Por teléfono", "By phone"),
                ("online", "En línea", "Online"),
                ("outreach", "Itinerante / móvil", "Outreach / mobile"),
            ],
        ),
        _virtual(
            INTAKE,
            (
                "Admisión",
                "Intake",
                "Si el servicio recibe personas nuevas ahora.",
                "Whether the service takes new people now.",
            ),
            [
                ("accepting", "Recibe personas nuevas", "Accepting new people"),
                ("waiting_list", "Lista de espera", "Waiting list"),
                ("not_accepting", "No recibe personas nuevas", "Not accepting new people"),
            ],
        ),
        _virtual(
            PHONE_FEATURE,
            (
                "Características del teléfono",
                "Phone features",
                "Cómo se puede usar un número de teléfono.",
                "How a phone number can be used.",
            ),
            [
                ("whatsapp", "WhatsApp", "WhatsApp"),
                ("free_line", "Línea gratuita", "Free line"),
            ],
        ),
        _virtual(
            FLAG,
            (
                "Avisos",
                "Notices",
                "Avisos sobre la ficha del servicio.",
                "Notices about the service entry.",
            ),
            [
                (
                    "illustrative",
                    "Ejemplo ilustrativo (no es un servicio real)",
                    "Illustrative example (not a real service)",
                )
            ],
        ),
    )
}
VIRTUAL_TERMS: dict[uuid.UUID, VirtualTerm] = {
    term.uuid: term for taxonomy in VIRTUAL_TAXONOMIES.values() for term in taxonomy.terms
}
VIRTUAL_TAXONOMY_IDS: dict[uuid.UUID, VirtualTaxonomy] = {
    taxonomy.uuid: taxonomy for taxonomy in VIRTUAL_TAXONOMIES.values()
}


def virtual_term(taxonomy_code: str, code: str) -> VirtualTerm:
    return next(t for t in VIRTUAL_TAXONOMIES[taxonomy_code].terms if t.code == code)


# --- Time zones -----------------------------------------------------------------------


@lru_cache(maxsize=64)
def _utc_offset(zone: str, day: str) -> float:
    try:
        tz = ZoneInfo(zone)
    except (KeyError, ValueError, OSError):  # OSError: a folder such as America/Argentina
        return 0.0
    offset = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=tz).utcoffset()
    return (offset.total_seconds() / 3600) if offset is not None else 0.0


def utc_offset(zone: str) -> float | int:
    hours = _utc_offset(zone, timezone.now().date().isoformat())
    return int(hours) if hours == int(hours) else hours


def offset_suffix(hours: float) -> str:
    if hours == 0:
        return "Z"
    sign = "-" if hours < 0 else "+"
    minutes = round(abs(hours) * 60)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
