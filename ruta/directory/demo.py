"""Illustrative directory data: the services of the demo (pathways: ``ruta.pathways.demo``).

Everything here is fictional although shaped on the seeds: the organizations of the GTRM
Peru MHPSS community of practice (seeds 000/001), seed 003's service-mapping matrix and
IOM Ecuador's good practice BP5_PC with its ten territories (seed 004). Phones are
``+51 900 000 0xx`` / ``+593 990 000 0xx`` / ``0800 00 0xx``, e-mails end in
``@example.org``, addresses are made up and every service is marked ``illustrative``.

``load_directory_demo()`` is idempotent: stable UUIDs (uuid5 of a fixed namespace and a
key), create-or-update, and it only calls an action when something differs, so a second
run adds no row, no change-history entry and no audit event.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ruta.agencies.demo import DEMO_ORGANIZATIONS
from ruta.agencies.models import Organization
from ruta.directory import actions
from ruta.directory.models import (
    IntakeStatus,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from ruta.places.demo import areas_by_code
from ruta.places.models import AdminArea

NAMESPACE = uuid.UUID("6f1d2b7e-4c1a-5e8b-9a53-2d0f3c6b8e41")

# Organizations (by acronym) that work in Ecuador only.
ECUADOR_ORGANIZATIONS = ("OIM Ecuador", "HIAS Ecuador")


def demo_uuid(kind: str, key: str) -> uuid.UUID:
    """The stable id of a demo row: the same on every machine and every run."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


# --- Places ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    city: str
    district: str
    country: str
    admin1: str
    point: tuple[float, float]
    accessible: bool = True


PLACES: dict[str, Place] = {
    # Lima Metropolitana, Callao and Lima region
    "lima-cercado": Place("Lima", "Cercado de Lima", "PE", "PE-LMA", (-12.0464, -77.0428)),
    "jesus-maria": Place("Lima", "Jesús María", "PE", "PE-LMA", (-12.0760, -77.0440)),
    "pueblo-libre": Place("Lima", "Pueblo Libre", "PE", "PE-LMA", (-12.0740, -77.0630), False),
    "brena": Place("Lima", "Breña", "PE", "PE-LMA", (-12.0590, -77.0500)),
    "sjl": Place("Lima", "San Juan de Lurigancho", "PE", "PE-LMA", (-11.9830, -77.0060), False),
    "los-olivos": Place("Lima", "Los Olivos", "PE", "PE-LMA", (-11.9690, -77.0730)),
    "comas": Place("Lima", "Comas", "PE", "PE-LMA", (-11.9330, -77.0500), False),
    "chorrillos": Place("Lima", "Chorrillos", "PE", "PE-LMA", (-12.1690, -77.0240)),
    "miraflores": Place("Lima", "Miraflores", "PE", "PE-LMA", (-12.1210, -77.0300)),
    "carmen-legua": Place(
        "Callao", "Carmen de la Legua Reynoso", "PE", "PE-CAL", (-12.0440, -77.0930)
    ),
    "callao": Place("Callao", "Callao Cercado", "PE", "PE-CAL", (-12.0560, -77.1180)),
    "huaral": Place("Huaral", "Huaral", "PE", "PE-LIM", (-11.4950, -77.2070), False),
    # North and south borders, Arequipa, Chiclayo
    "tumbes": Place("Tumbes", "Tumbes", "PE", "PE-TUM", (-3.5669, -80.4515)),
    "aguas-verdes": Place("Aguas Verdes", "Aguas Verdes", "PE", "PE-TUM", (-3.4810, -80.2450)),
    "tacna": Place("Tacna", "Tacna", "PE", "PE-TAC", (-18.0066, -70.2463)),
    "arequipa": Place("Arequipa", "Cercado de Arequipa", "PE", "PE-ARE", (-16.3989, -71.5350)),
    "cerro-colorado": Place(
        "Arequipa", "Cerro Colorado", "PE", "PE-ARE", (-16.3760, -71.5600), False
    ),
    "chiclayo": Place("Chiclayo", "Chiclayo", "PE", "PE-LAM", (-6.7714, -79.8409)),
    # Ecuador: the territories of IOM's good practice BP5_PC (seed 004)
    "quito": Place("Quito", "La Mariscal", "EC", "EC-P", (-0.2030, -78.4910)),
    "tulcan": Place("Tulcán", "Tulcán", "EC", "EC-C", (0.8117, -77.7173)),
    "huaquillas": Place("Huaquillas", "Huaquillas", "EC", "EC-O", (-3.4760, -80.2300)),
    "lago-agrio": Place("Nueva Loja (Lago Agrio)", "Lago Agrio", "EC", "EC-U", (0.0847, -76.8828)),
    "ibarra": Place("Ibarra", "Ibarra", "EC", "EC-I", (0.3517, -78.1223)),
    "guayaquil": Place("Guayaquil", "Guayaquil", "EC", "EC-G", (-2.1894, -79.8891)),
    "manta": Place("Manta", "Tarqui", "EC", "EC-M", (-0.9560, -80.7150), False),
    "machala": Place("Machala", "Machala", "EC", "EC-O", (-3.2581, -79.9554)),
    "cuenca": Place("Cuenca", "Centro histórico", "EC", "EC-A", (-2.8974, -79.0045)),
    "quevedo": Place("Quevedo", "Quevedo", "EC", "EC-R", (-1.0225, -79.4604)),
}

# Illustrative postal codes of the demo places (the addresses are fictional too).
POSTAL_CODES = {
    "lima-cercado": "15001",
    "jesus-maria": "15072",
    "pueblo-libre": "15084",
    "brena": "15082",
    "sjl": "15401",
    "los-olivos": "15301",
    "comas": "15311",
    "chorrillos": "15064",
    "miraflores": "15074",
    "carmen-legua": "07006",
    "callao": "07001",
    "huaral": "15201",
    "tumbes": "24001",
    "aguas-verdes": "24101",
    "tacna": "23001",
    "arequipa": "04001",
    "cerro-colorado": "04014",
    "chiclayo": "14001",
    "quito": "170143",
    "tulcan": "040101",
    "huaquillas": "070701",
    "lago-agrio": "210150",
    "ibarra": "100150",
    "guayaquil": "090150",
    "manta": "130802",
    "machala": "070101",
    "cuenca": "010101",
    "quevedo": "120501",
}

STREETS = ("Av. Ejemplo", "Jr. Ilustrativo", "Calle Muestra", "Pasaje Demostración")
TIME_ZONES = {"PE": "America/Lima", "EC": "America/Guayaquil"}

# --- Opening hours -----------------------------------------------------------------------

WEEKDAYS = (1, 2, 3, 4, 5)
HOURS: dict[str, list[tuple[tuple[int, ...], str, str]]] = {
    "office": [(WEEKDAYS, "08:30", "17:00")],
    "split": [(WEEKDAYS, "08:00", "13:00"), (WEEKDAYS, "14:00", "17:00")],
    "extended": [((1, 2, 3, 4, 5, 6), "08:00", "20:00")],
    "office_sat": [(WEEKDAYS, "09:00", "18:00"), ((6,), "09:00", "13:00")],
    "afternoons": [((2, 4), "14:00", "18:00")],
    "mornings": [((1, 3, 5), "08:00", "12:30")],
    "saturday": [((6,), "09:00", "13:00")],
    "daily": [((1, 2, 3, 4, 5, 6, 7), "08:00", "18:00")],
    "long": [((1, 2, 3, 4, 5, 6, 7), "07:00", "22:00")],
    "24_7": [],
    "none": [],
}

# --- Services ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoService:
    key: str
    org: str  # organization acronym
    places: tuple[str, ...]
    name_es: str
    name_en: str
    description_es: str
    description_en: str
    sectors: tuple[str, ...]
    profiles: tuple[str, ...]
    layers: tuple[str, ...]
    modalities: tuple[str, ...] = ("in_person",)
    hours: str = "office"
    phones: tuple[str, ...] = ("call",)  # "call", "whatsapp" (call + WhatsApp) or "free"
    verified_days: int = 30
    fee: str = ""  # not empty: the service is not free
    documents: str = ""  # not empty: documents are required
    intake: str = IntakeStatus.ACCEPTING
    intake_reason: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    languages: tuple[str, ...] = ("es",)
    eligibility_es: str = ""
    eligibility_en: str = ""
    areas: tuple[str, ...] = ()  # admin1 areas reached beyond the locations
    site_note: str = ""

    @property
    def country(self) -> str:
        return PLACES[self.places[0]].country


def _read_services() -> list[DemoService]:
    """The demo services, kept as data in ``demo_services.json`` beside this module."""
    rows: list[dict[str, Any]] = json.loads(
        (Path(__file__).parent / "demo_services.json").read_text("utf-8")
    )
    services = []
    for row in rows:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
        services.append(DemoService(**fields))
    return services


SERVICES: list[DemoService] = _read_services()

# --- Loader ------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    services: int = 0
    services_created: int = 0
    locations: int = 0
    stale: int = 0

    def describe(self) -> str:
        return (
            f"Directory demo: {self.services} illustrative services "
            f"({self.services_created} created, {self.stale} not verified recently) "
            f"at {self.locations} locations."
        )


def _noon(now: datetime, days_ago: int) -> datetime:
    """A day-rounded moment, so a second run on the same day changes nothing."""
    return now.replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)


def _organizations() -> dict[str, Organization]:
    """The demo organizations by acronym, created if ``load_demo`` has not run yet."""
    wanted = {spec.org for spec in SERVICES}
    by_acronym: dict[str, Organization] = {}
    for name, acronym, kind, website in DEMO_ORGANIZATIONS:
        if acronym not in wanted:
            continue
        countries = ["EC"] if acronym in ECUADOR_ORGANIZATIONS else ["PE"]
        organization, _created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "type": kind,
                "website": website,
                "countries": countries,
                "active": True,
            },
        )
        if organization.countries != countries:
            organization.countries = countries
            organization.save(update_fields=["countries", "updated_at"])
        by_acronym[acronym] = organization
    missing = wanted - set(by_acronym)
    if missing:
        raise ImproperlyConfigured(f"Demo organizations missing: {sorted(missing)}")
    return by_acronym


def _terms() -> dict[str, TaxonomyTerm]:
    terms = {term.code: term for term in TaxonomyTerm.objects.select_related("taxonomy")}
    wanted = {code for spec in SERVICES for code in (*spec.sectors, *spec.profiles, *spec.layers)}
    missing = wanted - set(terms)
    if missing:
        raise ImproperlyConfigured(f"Taxonomy terms missing (run migrate first): {sorted(missing)}")
    return terms


def _areas() -> dict[str, AdminArea]:
    wanted = {place.admin1 for place in PLACES.values()} | {
        code for spec in SERVICES for code in spec.areas
    }
    return areas_by_code(wanted)


def _location(
    organization: Organization, org_key: str, place_key: str, areas: dict[str, AdminArea]
) -> Location:
    place = PLACES[place_key]
    uid = demo_uuid("location", f"{org_key}|{place_key}")
    spread = uid.int
    latitude = round(place.point[0] + ((spread % 1001) - 500) / 100000, 5)
    longitude = round(place.point[1] + (((spread // 1001) % 1001) - 500) / 100000, 5)
    values: dict[str, Any] = {
        "organization": organization,
        "name": f"Sede {place.district}",
        "address": f"{STREETS[spread % len(STREETS)]} {100 + spread % 900}, {place.district}",
        "city": place.city,
        "postal_code": POSTAL_CODES.get(place_key, ""),
        "country": place.country,
        "admin1": areas[place.admin1],
        "admin2": None,
        "latitude": latitude,
        "longitude": longitude,
        "accessibility": (
            "Ingreso sin escalones y baño accesible."
            if place.accessible
            else "Segundo piso, sin ascensor."
        ),
        "transportation": "",
    }
    location = Location.objects.filter(uuid=uid).first()
    before = actions.location_snapshot(location) if location else None
    if location is None:
        location = Location(uuid=uid)
    changed = before is None or any(
        getattr(location, name) != value for name, value in values.items()
    )
    if changed:
        for name, value in values.items():
            setattr(location, name, value)
        location.full_clean()
        actions.save_location(None, location, before=before)
    return location


def _sync_rows(model: Any, service: Service, wanted: dict[uuid.UUID, dict[str, Any]]) -> None:
    """Make the service's phones or schedules exactly ``wanted`` (by uuid), writing only changes."""
    existing = {row.uuid: row for row in model.objects.filter(service=service)}
    for uid, values in wanted.items():
        row = existing.get(uid)
        if row is None:
            model.objects.create(uuid=uid, service=service, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
    stale = [row.pk for uid, row in existing.items() if uid not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()


def _sync_children(
    service: Service,
    spec: DemoService,
    terms: dict[str, TaxonomyTerm],
    locations: list[Location],
    areas: dict[str, AdminArea],
    numbers: list[tuple[str, str, bool, bool]],
) -> None:
    codes = (*spec.sectors, *spec.profiles, *spec.layers)
    service.terms.set([terms[code] for code in codes])

    placed = {sal.location_id: sal for sal in service.service_at_locations.all()}
    for location in locations:
        sal = placed.get(location.pk)
        if sal is None:
            ServiceAtLocation.objects.create(
                uuid=demo_uuid("sal", f"{spec.key}|{location.uuid}"),
                service=service,
                location=location,
                description=spec.site_note,
            )
        elif sal.description != spec.site_note:
            sal.description = spec.site_note
            sal.save(update_fields=["description"])
    service.service_at_locations.exclude(location__in=locations).delete()

    phones: dict[uuid.UUID, dict[str, Any]] = {}
    for index, (number, description, whatsapp, free_line) in enumerate(numbers):
        phones[demo_uuid("phone", f"{spec.key}|{index}")] = {
            "number": number,
            "description": description,
            "whatsapp": whatsapp,
            "free_line": free_line,
        }
    _sync_rows(Phone, service, phones)

    schedules: dict[uuid.UUID, dict[str, Any]] = {}
    for weekdays, opens, closes in HOURS[spec.hours]:
        for weekday in weekdays:
            schedules[demo_uuid("schedule", f"{spec.key}|{weekday}|{opens}")] = {
                "weekday": weekday,
                "opens_at": time.fromisoformat(opens),
                "closes_at": time.fromisoformat(closes),
            }
    _sync_rows(Schedule, service, schedules)

    area_objects = [areas[code] for code in spec.areas]
    for area in area_objects:
        ServiceArea.objects.get_or_create(
            service=service,
            area=area,
            defaults={"uuid": demo_uuid("service_area", f"{spec.key}|{area.code}")},
        )
    service.service_areas.exclude(area__in=area_objects).delete()


def _phone_numbers(
    spec: DemoService, counters: dict[str, int]
) -> list[tuple[str, str, bool, bool]]:
    """(number, description, whatsapp, free line): fictional numbers, numbered in order."""
    numbers = []
    for kind in spec.phones:
        counters[kind + spec.country] = counters.get(kind + spec.country, 0) + 1
        n = counters[kind + spec.country]
        if kind == "free":
            number = f"0800 00 0{n:02d}" if spec.country == "PE" else f"1800 000 0{n:02d}"
            numbers.append((number, "Línea gratuita", False, True))
            continue
        counters["mobile" + spec.country] = counters.get("mobile" + spec.country, 0) + 1
        m = counters["mobile" + spec.country]
        number = f"+51 900 000 0{m:02d}" if spec.country == "PE" else f"+593 990 000 0{m:02d}"
        if kind == "whatsapp":
            numbers.append((number, "Llamadas y WhatsApp", True, False))
        else:
            numbers.append((number, "Llamadas", False, False))
    return numbers


def _service_fields(spec: DemoService, organization: Organization, now: datetime) -> dict[str, Any]:
    return {
        "organization": organization,
        "name_es": spec.name_es,
        "name_en": spec.name_en,
        "description_es": spec.description_es,
        "description_en": spec.description_en,
        "status": ServiceStatus.ACTIVE,
        "intake_status": spec.intake,
        "intake_reason": spec.intake_reason,
        "url": "",
        "email": f"{spec.key}@example.org",
        "languages": list(spec.languages),
        "is_free": not spec.fee,
        "fee_detail": spec.fee,
        "documents_required": bool(spec.documents),
        "required_documents": spec.documents,
        "eligibility_es": spec.eligibility_es,
        "eligibility_en": spec.eligibility_en,
        "minimum_age": spec.minimum_age,
        "maximum_age": spec.maximum_age,
        "in_person": "in_person" in spec.modalities,
        "by_phone": "by_phone" in spec.modalities,
        "online": "online" in spec.modalities,
        "outreach": "outreach" in spec.modalities,
        "open_24_7": spec.hours == "24_7",
        "timezone": TIME_ZONES[spec.country],
        "holidays_note": (
            "Cerrado los feriados nacionales."
            if spec.hours in ("office", "split", "office_sat", "mornings", "afternoons")
            else ""
        ),
        "illustrative": True,
        "last_verified_at": _noon(now, spec.verified_days),
        "last_verified_by": None,
    }


def _service(
    spec: DemoService,
    organizations: dict[str, Organization],
    locations: dict[tuple[str, str], Location],
    terms: dict[str, TaxonomyTerm],
    areas: dict[str, AdminArea],
    counters: dict[str, int],
    now: datetime,
) -> tuple[Service, bool]:
    organization = organizations[spec.org]
    numbers = _phone_numbers(spec, counters)
    service = Service.objects.filter(uuid=demo_uuid("service", spec.key)).first()
    created = service is None
    before = actions.snapshot(service) if service is not None else None
    if service is None:
        service = Service(uuid=demo_uuid("service", spec.key))
    for name, value in _service_fields(spec, organization, now).items():
        setattr(service, name, value)
    service.full_clean()
    its_locations = [locations[(spec.org, place)] for place in spec.places]

    def related(saved: Service) -> None:
        _sync_children(saved, spec, terms, its_locations, areas, numbers)

    actions.save_service(None, service, before=before, save_related=related)
    return service, created


def load_directory_demo(now: datetime | None = None) -> DemoSummary:
    """Create or update the illustrative services; safe to run again."""
    now = now or timezone.now()
    summary = DemoSummary()
    with transaction.atomic():
        organizations = _organizations()
        terms = _terms()
        areas = _areas()
        locations: dict[tuple[str, str], Location] = {}
        for spec in SERVICES:
            for place in spec.places:
                if (spec.org, place) not in locations:
                    locations[(spec.org, place)] = _location(
                        organizations[spec.org], spec.org, place, areas
                    )
        counters: dict[str, int] = {}
        services: dict[str, Service] = {}
        for spec in SERVICES:
            service, created = _service(spec, organizations, locations, terms, areas, counters, now)
            services[spec.key] = service
            summary.services_created += created
            summary.stale += service.is_stale()
        summary.services = len(services)
        summary.locations = len(locations)
    return summary


def load_demo() -> DemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_directory_demo()
