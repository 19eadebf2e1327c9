"""The illustrative directory: complete, published, idempotent, and useful for the finder."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command

from ruta.agencies.models import Organization
from ruta.audit.models import AuditEvent
from ruta.directory.access import public_services
from ruta.directory.demo import SERVICES, demo_uuid, load_directory_demo
from ruta.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    ServiceStatus,
)
from ruta.directory.search import FinderQuery, find_services

pytestmark = pytest.mark.django_db

MODELS = (
    Organization,
    Service,
    Location,
    ServiceAtLocation,
    ServiceArea,
    Phone,
    Schedule,
    Service.terms.through,
    ServiceChange,
    AuditEvent,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _load() -> str:
    out = io.StringIO()
    call_command("load_directory_demo", stdout=out)
    return out.getvalue()


def test_loading_twice_changes_nothing_the_second_time() -> None:
    first_output = _load()
    first = _counts()
    second_output = _load()
    assert _counts() == first
    assert first["Service"] == len(SERVICES)
    assert 40 <= len(SERVICES) <= 60
    assert first["ServiceChange"] == len(SERVICES)  # one "created" entry each, no more
    assert f"{len(SERVICES)} illustrative services ({len(SERVICES)} created" in first_output
    assert f"{len(SERVICES)} illustrative services (0 created" in second_output


def test_a_changed_service_is_restored_with_a_history_entry() -> None:
    load_directory_demo()
    service = Service.objects.get(uuid=demo_uuid("service", "care-tum-smaps"))
    Service.objects.filter(pk=service.pk).update(name_es="Renombrado")
    service.phones.all().delete()
    load_directory_demo()
    service.refresh_from_db()
    assert service.name_es == "Apoyo psicológico y primeros auxilios psicológicos en frontera"
    assert service.phones.count() == 1
    change = service.changes.first()
    assert change is not None
    assert change.action == "updated"
    assert set(change.changes) == {"name_es", "phones"}


def test_every_demo_service_is_illustrative_active_placed_classified_some_stale() -> None:
    load_directory_demo()
    services = Service.objects.prefetch_related(
        "terms__taxonomy", "service_at_locations__location__admin1", "phones"
    )
    assert services.count() == len(SERVICES)
    for service in services:
        assert service.illustrative, service
        assert service.status == ServiceStatus.ACTIVE, service
        places = [sal.location for sal in service.service_at_locations.all()]
        assert places, service
        for location in places:
            assert location.admin1 is not None
            assert location.admin1.code.startswith(location.country + "-")
            assert location.admin1.latitude is not None
            # Within ~0.5° of the area's point: plausible coordinates, not (0, 0).
            assert location.latitude is not None and location.longitude is not None
            assert abs(location.latitude - location.admin1.latitude) < 1.5, location
            assert abs(location.longitude - location.admin1.longitude) < 1.5, location
        taxonomies = {term.taxonomy.code for term in service.terms.all()}
        assert {"sector", "population", "iasc_layer"} <= taxonomies, service
        assert service.email.endswith("@example.org")
        assert service.search_text  # filled by save_service
        for phone in service.phones.all():
            assert re.fullmatch(
                r"\+51 900 000 0\d\d|\+593 990 000 0\d\d|0800 00 0\d\d|1800 000 0\d\d",
                phone.number,
            ), phone.number
        expected_zone = "America/Guayaquil" if places[0].country == "EC" else "America/Lima"
        assert service.timezone == expected_zone
    # Some were not verified for more than RUTA_VERIFY_DAYS, for the stale reminders.
    stale = [service for service in services if service.is_stale()]
    assert 3 <= len(stale) < len(SERVICES) // 2


def test_demo_covers_the_places_variety_and_finder_journey_of_the_issue() -> None:
    load_directory_demo()
    admin1 = set(
        Location.objects.filter(service_at_locations__isnull=False).values_list(
            "admin1__code", flat=True
        )
    )
    assert {"PE-LMA", "PE-LIM", "PE-CAL", "PE-TUM", "PE-TAC", "PE-ARE"} <= admin1
    assert {"EC-P", "EC-C", "EC-O", "EC-U", "EC-I", "EC-G", "EC-M", "EC-A", "EC-R"} <= admin1
    cities = set(Location.objects.values_list("city", flat=True))
    for city in ("Quito", "Tulcán", "Huaquillas", "Ibarra", "Guayaquil", "Manta", "Machala"):
        assert city in cities
    services = Service.objects.all()
    assert services.filter(is_free=False).exclude(fee_detail="").exists()
    assert services.filter(documents_required=True).exclude(required_documents="").exists()
    assert services.filter(intake_status="waiting_list").exists()
    assert services.filter(open_24_7=True).exists()
    assert services.filter(by_phone=True, in_person=False).exists()
    assert Phone.objects.filter(whatsapp=True).exists()
    assert Phone.objects.filter(free_line=True).exists()
    assert Schedule.objects.exists()
    acronyms = set(services.values_list("organization__acronym", flat=True))
    for acronym in (
        "CARE",
        "HIAS",
        "Save the Children",
        "Aldeas SOS",
        "CCEFIRO",
        "CAPS",
        "Veneactiva",
        "CSMC Carmen de la Legua",
        "OIM",
        "OIM Ecuador",
    ):
        assert acronym in acronyms
    veneactiva = services.get(organization__acronym="Veneactiva")
    assert veneactiva.open_24_7 and veneactiva.phones.filter(whatsapp=True).exists()
    assert Organization.objects.get(acronym="OIM Ecuador").countries == ["EC"]
    # The issue's finder journey: "apoyo psicologico" in Tumbes, for a woman, free.
    query = FinderQuery(text="apoyo psicologico", profile="women", admin1="PE-TUM", free=True)
    names = [service.name_es for service in find_services(public_services(), query)]
    assert names == ["Apoyo psicológico y primeros auxilios psicológicos en frontera"]


def test_load_demo_loads_the_directory_too(settings: Any) -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    assert out.getvalue().count("Directory demo:") == 2
    assert Service.objects.filter(illustrative=True).count() == len(SERVICES)
