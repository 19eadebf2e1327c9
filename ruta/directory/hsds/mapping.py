"""Our directory models as Open Referral HSDS 3.0 objects (and the ids that tie them).

The same dictionaries feed the read API (JSON) and the tabular export (one CSV row per
flat object), so both always agree.

Ids
  HSDS ids are our UUIDs. Where HSDS has an object we keep as a field (an address, an
  accessibility note, a language, a cost option, a required document, an attribute
  link), the id is a UUID5 of ``NAMESPACE`` and the owner's UUID, so it is stable across
  requests and exports.

Synthetic taxonomies
  Modality (in person, phone, online, outreach), intake status, phone features
  (WhatsApp, free line) and the "illustrative example" flag are plain fields in our
  model. HSDS expresses such facts as ``attributes`` pointing at ``taxonomy_term``s, so
  we publish four fixed taxonomies whose ids are ``uuid5(NAMESPACE, "taxonomy:<code>")``
  and whose terms are ``uuid5(NAMESPACE, "term:<taxonomy code>:<term code>")``. They are
  served by ``/taxonomies`` and ``/taxonomy_terms`` like the stored vocabularies and the
  importer understands them, so an export imports back without loss.

Time zones
  HSDS ``schedule.timezone`` is a number (UTC offset in hours) and ``opens_at`` carries
  the offset (``08:00-05:00``). The IANA zone name of the service goes in ``notes``
  (``Time zone: America/Lima``) so the importer can restore it exactly.

Status
  active -> active, suspended -> temporarily closed, closed -> defunct, draft -> inactive
  (drafts are never published, so the last one only matters for completeness).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import pycountry
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ruta.directory.models import (
    AdminArea,
    IntakeStatus,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
    Weekday,
    localized,
)
from ruta.lib.clock import local_date
from ruta.lib.geo import language_catalog

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


# --- Small helpers --------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What every serializer needs: the language of names and the site's base URL."""

    language: str = "es"
    base_url: str = ""  # e.g. "https://ruta.example.org", no trailing slash
    # Terms repeat on every service of a page: each is serialized once a request.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def other_language(self) -> str:
        return "en" if self.language == "es" else "es"


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop None: HSDS types have no null, an absent key is the honest "unknown"."""
    return {key: value for key, value in data.items() if value is not None}


def _or_none(value: str) -> str | None:
    return value or None


def text(obj: Any, name: str, ctx: Context) -> str:
    return localized(obj, name, ctx.language)


def alternate(obj: Any, name: str, ctx: Context) -> str | None:
    """The other language's value when it differs from the one shown."""
    other = getattr(obj, f"{name}_{ctx.other_language}", "") or ""
    shown = text(obj, name, ctx)
    return other if other and other != shown else None


def iso_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=64)
def _utc_offset(zone: str, day: str) -> float:
    try:
        tz = ZoneInfo(zone)
    except (KeyError, ValueError):
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


@lru_cache(maxsize=256)
def language_name(code: str, language: str) -> str:
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    if found is None:
        found = pycountry.languages.get(alpha_3=code)
    if found is None:
        return code
    return language_catalog(language).gettext(found.name)


def area_label(area: AdminArea) -> str:
    if area.level == 1:
        return f"ISO 3166-2: {area.code}"
    return f"P-code: {area.pcode or area.code}"


# --- Taxonomies -----------------------------------------------------------------------


def taxonomy_dict(taxonomy: Taxonomy | VirtualTaxonomy, ctx: Context) -> dict[str, Any]:
    name = text(taxonomy, "name", ctx)
    return compact(
        {
            "id": str(taxonomy.uuid),
            "name": name,
            "description": text(taxonomy, "description", ctx) or name,
            "uri": _or_none(taxonomy.uri),
            "version": _or_none(taxonomy.version),
        }
    )


def taxonomy_label(taxonomy: Taxonomy | VirtualTaxonomy) -> str:
    """``taxonomy_term.taxonomy``: the taxonomy's URI when it has one, else its code."""
    return taxonomy.uri or taxonomy.code


def term_dict(
    term: TaxonomyTerm | VirtualTerm, ctx: Context, *, detail: bool = True
) -> dict[str, Any]:
    key = ("term", term.uuid, detail)
    if key not in ctx.memo:
        ctx.memo[key] = _term_dict(term, ctx, detail=detail)
    result: dict[str, Any] = ctx.memo[key]
    return result


def _term_dict(term: TaxonomyTerm | VirtualTerm, ctx: Context, *, detail: bool) -> dict[str, Any]:
    name = text(term, "name", ctx)
    parent = term.parent
    data: dict[str, Any] = {
        "id": str(term.uuid),
        "code": term.code,
        "name": name,
        "description": text(term, "description", ctx) or name,
        "parent_id": str(parent.uuid) if parent is not None else None,
        "taxonomy": taxonomy_label(term.taxonomy),
        "taxonomy_id": str(term.taxonomy.uuid),
        "language": ctx.language,
    }
    if detail:
        data["taxonomy_detail"] = taxonomy_dict(term.taxonomy, ctx)
    return compact(data)


def attribute_dict(
    owner_uuid: Any,
    entity: str,
    term: TaxonomyTerm | VirtualTerm,
    ctx: Context,
    value: str = "",
) -> dict[str, Any]:
    return compact(
        {
            "id": str(synthetic_id("attribute", owner_uuid, term.uuid)),
            "link_id": str(owner_uuid),
            "link_type": term.taxonomy.code,
            "link_entity": entity,
            "taxonomy_term_id": str(term.uuid),
            "value": _or_none(value),
            "taxonomy_term": term_dict(term, ctx),
        }
    )


def service_terms(service: Service) -> list[TaxonomyTerm | VirtualTerm]:
    """Stored terms, then the synthetic ones the service's fields imply."""
    terms: list[TaxonomyTerm | VirtualTerm] = list(service.terms.all())
    terms += [virtual_term(MODALITY, name) for name in MODALITY_FIELDS if getattr(service, name)]
    if service.illustrative:
        terms.append(virtual_term(FLAG, "illustrative"))
    return terms


def service_attributes(service: Service, ctx: Context) -> list[dict[str, Any]]:
    attributes = [
        attribute_dict(service.uuid, "service", term, ctx) for term in service_terms(service)
    ]
    attributes.append(
        attribute_dict(
            service.uuid,
            "service",
            virtual_term(INTAKE, service.intake_status),
            ctx,
            value=service.intake_reason,
        )
    )
    return attributes


def phone_attributes(phone: Phone, ctx: Context) -> list[dict[str, Any]]:
    return [
        attribute_dict(phone.uuid, "phone", virtual_term(PHONE_FEATURE, name), ctx)
        for name in ("whatsapp", "free_line")
        if getattr(phone, name)
    ]


# --- Organizations --------------------------------------------------------------------


def organization_uri(organization: Any, ctx: Context) -> str | None:
    if not ctx.base_url:
        return None
    return f"{ctx.base_url}/api/hsds/organizations/{organization.uuid}"


def organization_dict(organization: Any, ctx: Context) -> dict[str, Any]:
    """The one-to-one fields (organization_list.json)."""
    return compact(
        {
            "id": str(organization.uuid),
            "name": organization.name,
            "alternate_name": _or_none(organization.acronym),
            "description": text(organization, "description", ctx) or organization.name,
            "email": _or_none(organization.email),
            "website": _or_none(organization.website),
            "uri": organization_uri(organization, ctx),
        }
    )


def organization_full(
    organization: Any,
    ctx: Context,
    services: Iterable[Service],
    locations: Iterable[Location],
    *,
    full_service: bool = False,
) -> dict[str, Any]:
    """A fully nested organization (compiled/organization.json)."""
    data = organization_dict(organization, ctx)
    data["services"] = [
        service_full(s, ctx) if full_service else service_list_dict(s, ctx, organization=False)
        for s in services
    ]
    data["locations"] = [location_full(location, ctx) for location in locations]
    data["phones"] = []
    data["contacts"] = []
    data["attributes"] = []
    return data


# --- Locations ------------------------------------------------------------------------


def location_dict(location: Location, ctx: Context) -> dict[str, Any]:
    """The one-to-one fields of a location."""
    return compact(
        {
            "id": str(location.uuid),
            "location_type": "physical",
            "organization_id": str(location.organization.uuid),
            "name": location.name,
            "transportation": _or_none(location.transportation),
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )


def address_dict(location: Location, ctx: Context) -> dict[str, Any] | None:
    if not (location.address or location.city or location.admin1_id):
        return None
    return compact(
        {
            "id": str(synthetic_id("address", location.uuid)),
            "location_id": str(location.uuid),
            "address_1": location.address,
            "city": location.city,
            "region": location.admin2.name if location.admin2 else None,
            "state_province": location.admin1.name if location.admin1 else "",
            "postal_code": "",
            # The region's country wins over a stale country field.
            "country": location.admin1.country if location.admin1 else location.country,
            "address_type": "physical",
        }
    )


def accessibility_dict(location: Location) -> dict[str, Any] | None:
    if not location.accessibility:
        return None
    return {
        "id": str(synthetic_id("accessibility", location.uuid)),
        "location_id": str(location.uuid),
        "description": location.accessibility,
    }


def location_full(location: Location, ctx: Context) -> dict[str, Any]:
    data = location_dict(location, ctx)
    address = address_dict(location, ctx)
    accessibility = accessibility_dict(location)
    data["addresses"] = [address] if address else []
    data["accessibility"] = [accessibility] if accessibility else []
    data["phones"] = []
    data["schedules"] = []
    data["languages"] = []
    data["contacts"] = []
    data["attributes"] = []
    return data


# --- Services -------------------------------------------------------------------------


@lru_cache(maxsize=len(LANGUAGES))
def phrases(language: str) -> dict[str, str]:
    """The few sentences the mapping writes, translated once per language."""
    with override(language):
        found = {
            "illustrative": _("Illustrative example: this is not a real service."),
            "free": _("Free of charge"),
            "fee": _("Fee"),
            "always_open": _("Open 24 hours, 7 days"),
            "time_zone": _("Time zone: %(zone)s"),
        }
        found.update({f"intake:{value}": str(label) for value, label in IntakeStatus.choices})
        found.update({f"day:{value}": str(label) for value, label in Weekday.choices})
    return found


def service_alert(service: Service, ctx: Context) -> str | None:
    words = phrases(ctx.language)
    notes = []
    if service.illustrative:
        notes.append(words["illustrative"])
    if service.intake_status != IntakeStatus.ACCEPTING:
        label = words[f"intake:{service.intake_status}"]
        notes.append(f"{label}: {service.intake_reason}" if service.intake_reason else label)
    return " ".join(notes) or None


def fees_description(service: Service, ctx: Context) -> str:
    return phrases(ctx.language)["free"] if service.is_free else service.fee_detail


def service_minimal_dict(service: Service, ctx: Context) -> dict[str, Any]:
    """``minimal=true``: the id and last change, with the fields service_list.json requires."""
    return {
        "id": str(service.uuid),
        "name": text(service, "name", ctx),
        "status": STATUS_TO_HSDS[ServiceStatus(service.status)],
        "last_modified": iso_datetime(service.updated_at),
    }


def service_list_dict(
    service: Service, ctx: Context, *, organization: bool = True
) -> dict[str, Any]:
    """The one-to-one fields of a service (service_list.json), with its organization."""
    verified = service.last_verified_at
    data = compact(
        {
            "id": str(service.uuid),
            "organization_id": str(service.organization.uuid),
            "name": text(service, "name", ctx),
            "alternate_name": alternate(service, "name", ctx),
            "description": _or_none(text(service, "description", ctx)),
            "url": _or_none(service.url),
            "email": _or_none(service.email),
            "status": STATUS_TO_HSDS[ServiceStatus(service.status)],
            "fees_description": _or_none(fees_description(service, ctx)),
            "eligibility_description": _or_none(text(service, "eligibility", ctx)),
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": (
                local_date(verified, service.timezone).isoformat() if verified else None
            ),
            "alert": service_alert(service, ctx),
            "last_modified": iso_datetime(service.updated_at),
        }
    )
    if organization:
        data["organization"] = organization_dict(service.organization, ctx)
    return data


def phone_dict(phone: Phone, service: Service, ctx: Context) -> dict[str, Any]:
    extension: int | None = None
    description = phone.description
    if phone.extension.isdigit():
        extension = int(phone.extension)
    elif phone.extension:
        description = f"{description} (ext. {phone.extension})".strip()
    return compact(
        {
            "id": str(phone.uuid),
            "service_id": str(service.uuid),
            "number": phone.number,
            "extension": extension,
            "type": "voice",
            "description": _or_none(description),
            "attributes": phone_attributes(phone, ctx),
        }
    )


def _zone_note(service: Service, ctx: Context) -> str:
    note = phrases(ctx.language)["time_zone"] % {"zone": service.timezone}
    if service.holidays_note:
        note = f"{note}. {service.holidays_note}"
    return note


def schedule_dict(
    schedule: Schedule, service: Service, ctx: Context, hours: float | None = None
) -> dict[str, Any]:
    hours = utc_offset(service.timezone) if hours is None else hours
    suffix = offset_suffix(hours)
    opens, closes = f"{schedule.opens_at:%H:%M}", f"{schedule.closes_at:%H:%M}"
    day = phrases(ctx.language)[f"day:{schedule.weekday}"]
    return {
        "id": str(schedule.uuid),
        "service_id": str(service.uuid),
        "freq": "WEEKLY",
        "byday": BYDAY[Weekday(schedule.weekday)],
        "opens_at": f"{opens}{suffix}",
        "closes_at": f"{closes}{suffix}",
        "timezone": hours,
        "description": f"{day} {opens}-{closes}",
        "notes": _zone_note(service, ctx),
    }


def always_open_dict(service: Service, ctx: Context) -> dict[str, Any]:
    hours = utc_offset(service.timezone)
    suffix = offset_suffix(hours)
    description = phrases(ctx.language)["always_open"]
    return {
        "id": str(synthetic_id("schedule", service.uuid, "24/7")),
        "service_id": str(service.uuid),
        "freq": "WEEKLY",
        "byday": ALL_DAYS,
        "opens_at": f"00:00{suffix}",
        "closes_at": f"23:59{suffix}",
        "timezone": hours,
        "description": description,
        "notes": _zone_note(service, ctx),
    }


def schedules(service: Service, ctx: Context) -> list[dict[str, Any]]:
    hours = utc_offset(service.timezone)
    rows = [schedule_dict(s, service, ctx, hours) for s in service.schedules.all()]
    if service.open_24_7:
        rows.insert(0, always_open_dict(service, ctx))
    return rows


def service_area_dict(area: ServiceArea, service: Service, ctx: Context) -> dict[str, Any]:
    return {
        "id": str(area.uuid),
        "service_id": str(service.uuid),
        "name": text(area.area, "name", ctx),
        "description": area_label(area.area),
    }


def language_dicts(service: Service, ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "id": str(synthetic_id("language", service.uuid, code)),
            "service_id": str(service.uuid),
            "code": code,
            "name": language_name(code, ctx.language),
        }
        for code in service.languages or []
        if isinstance(code, str) and code
    ]


def cost_option_dicts(service: Service, ctx: Context) -> list[dict[str, Any]]:
    base = {"id": str(synthetic_id("cost", service.uuid)), "service_id": str(service.uuid)}
    words = phrases(ctx.language)
    if service.is_free:
        return [{**base, "option": words["free"], "amount": 0}]
    return [{**base, "option": words["fee"], "amount_description": service.fee_detail}]


def required_document_dicts(service: Service) -> list[dict[str, Any]]:
    if not service.documents_required:
        return []
    return [
        {
            "id": str(synthetic_id("document", service.uuid)),
            "service_id": str(service.uuid),
            "document": service.required_documents,
        }
    ]


def sal_dict(sal: ServiceAtLocation, ctx: Context) -> dict[str, Any]:
    return compact(
        {
            "id": str(sal.uuid),
            "service_id": str(sal.service.uuid),
            "location_id": str(sal.location.uuid),
            "description": _or_none(sal.description),
        }
    )


def service_full(service: Service, ctx: Context, *, with_locations: bool = True) -> dict[str, Any]:
    """A fully nested service (compiled/service.json)."""
    data = service_list_dict(service, ctx)
    data["phones"] = [phone_dict(p, service, ctx) for p in service.phones.all()]
    data["schedules"] = schedules(service, ctx)
    data["service_areas"] = [
        service_area_dict(a, service, ctx) for a in service.service_areas.all()
    ]
    if with_locations:
        data["service_at_locations"] = [
            {**sal_dict(sal, ctx), "location": location_full(sal.location, ctx)}
            for sal in service.service_at_locations.all()
        ]
    data["languages"] = language_dicts(service, ctx)
    data["cost_options"] = cost_option_dicts(service, ctx)
    data["required_documents"] = required_document_dicts(service)
    data["contacts"] = []
    data["attributes"] = service_attributes(service, ctx)
    return data


def sal_list_dict(sal: ServiceAtLocation, ctx: Context) -> dict[str, Any]:
    """service_at_location_list.json: the link with its location and service (one-to-one)."""
    data = sal_dict(sal, ctx)
    data["location"] = location_dict(sal.location, ctx)
    data["service"] = service_list_dict(sal.service, ctx)
    return data


def sal_full(sal: ServiceAtLocation, ctx: Context) -> dict[str, Any]:
    """compiled/service_at_location.json: the link with the full location and service."""
    data = sal_dict(sal, ctx)
    data["location"] = location_full(sal.location, ctx)
    data["service"] = service_full(sal.service, ctx, with_locations=False)
    data["phones"] = []
    data["schedules"] = []
    data["contacts"] = []
    data["attributes"] = []
    return data
