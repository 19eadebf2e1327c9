"""The directory API: who reads, who writes, scope as 404, validation as JSON, history, queries."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from ruta.accounts.tests.conftest import enrol, totp_code
from ruta.audit.models import AuditEvent
from ruta.directory.models import Location, Service, ServiceChange
from ruta.directory.tests.factories import make_service

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

SERVICES = reverse("directory_api:service-list")
LOCATIONS = reverse("directory_api:location-list")
TERMS = reverse("directory_api:taxonomy-term-list")
AREAS = reverse("directory_api:admin-area-list")


def service_url(service: Service) -> str:
    return reverse("directory_api:service-detail", kwargs={"uuid": service.uuid})


def location_url(location: Location) -> str:
    return reverse("directory_api:location-detail", kwargs={"uuid": location.uuid})


def send(client: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def payload(organization: Any, **extra: Any) -> dict[str, Any]:
    body = {
        "organization": str(organization.uuid),
        "name_es": "Consejería psicológica para mujeres",
        "name_en": "Psychological counselling for women",
        "status": "active",
        "sectors": ["psychosocial_support"],
        "profiles": ["women", "girls"],
        "layers": ["layer3"],
        "phones": [{"number": "+51 999 111 222", "whatsapp": True}],
        "schedules": [
            {"weekday": 1, "opens_at": "09:00", "closes_at": "13:00"},
            {"weekday": 3, "opens_at": "14:00", "closes_at": "18:00"},
        ],
        "service_areas": ["PE-TUM"],
        "languages": ["es"],
    }
    body.update(extra)
    return body


@pytest.fixture
def entries(world: Any) -> dict[str, Service]:
    return {
        "care": make_service(world.care, "Apoyo psicosocial CARE", terms=("women",), area="PE-TUM"),
        "care_draft": make_service(world.care, "Borrador CARE", status="draft"),
        "hias": make_service(world.hias, "Atención en salud mental HIAS", area="PE-LMA"),
        "hias_draft": make_service(world.hias, "Borrador HIAS", status="draft"),
    }


# --- Who may read and write ----------------------------------------------------------


def test_anonymous_gets_401_json(client: Any, entries: Any) -> None:
    for url in (SERVICES, service_url(entries["care"]), LOCATIONS, TERMS, AREAS):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["message"]
    assert send(client, "post", SERVICES, {}).status_code == 401


def test_caseworker_reads_but_cannot_write(
    client: Any, world: Any, login: Any, entries: Any
) -> None:
    login(world.user("caseworker.care"))
    listing = client.get(SERVICES)
    assert listing.status_code == 200
    names = {item["name_es"] for item in listing.json()["results"]}
    # Published entries plus the own organization's draft; not the other agency's draft.
    assert names == {"Apoyo psicosocial CARE", "Borrador CARE", "Atención en salud mental HIAS"}
    detail = client.get(service_url(entries["hias"]))
    assert detail.status_code == 200
    assert detail.json()["organization"] == str(world.hias.uuid)
    assert client.get(service_url(entries["hias_draft"])).status_code == 404

    created = send(client, "post", SERVICES, payload(world.care))
    assert created.status_code == 403
    assert created.json()["message"]
    patched = send(client, "patch", service_url(entries["care"]), {"name_es": "X"})
    assert patched.status_code == 403
    assert Service.objects.filter(name_es="X").count() == 0
    assert AuditEvent.objects.filter(action="permission.denied").count() == 2


def test_agency_admin_creates_own_service_with_history_and_audit(
    client: Any, world: Any, login: Any
) -> None:
    admin = world.user("agency_admin.care")
    login(admin)
    response = send(client, "post", SERVICES, payload(world.care))
    assert response.status_code == 201, response.json()
    body = response.json()
    service = Service.objects.get(uuid=body["uuid"])
    assert service.organization == world.care
    assert sorted(body["profiles"]) == ["girls", "women"]
    assert body["sectors"] == ["psychosocial_support"]
    assert body["layers"] == ["layer3"]
    assert body["service_areas"] == ["PE-TUM"]
    assert [phone["number"] for phone in body["phones"]] == ["+51 999 111 222"]
    assert body["phones"][0]["whatsapp"] is True
    assert [slot["weekday"] for slot in body["schedules"]] == [1, 3]
    assert "psicologica" in service.search_text  # refreshed by save_service
    change = ServiceChange.objects.get(service=service)
    assert change.action == "created"
    assert change.actor == admin
    assert "terms" in change.changes and "phones" in change.changes
    event = AuditEvent.objects.get(action="service.created")
    assert event.object_uuid == service.uuid
    assert event.actor == admin


def test_agency_admin_cannot_create_for_another_agency(client: Any, world: Any, login: Any) -> None:
    login(world.user("agency_admin.care"))
    response = send(client, "post", SERVICES, payload(world.hias))
    assert response.status_code == 400
    body = response.json()
    assert body["message"]
    assert "organization" in body["errors"]
    assert not Service.objects.exists()


def test_agency_admin_gets_404_on_another_agency_service(
    client: Any, world: Any, login: Any, entries: Any
) -> None:
    login(world.user("agency_admin.care"))
    hias = entries["hias"]
    response = send(client, "patch", service_url(hias), {"name_es": "Tomado"})
    assert response.status_code == 404
    assert response.json()["message"]
    assert send(client, "put", service_url(hias), payload(world.hias)).status_code == 404
    hias.refresh_from_db()
    assert hias.name_es == "Atención en salud mental HIAS"
    # Nor can a service be moved to another agency.
    moved = send(
        client, "patch", service_url(entries["care"]), {"organization": str(world.hias.uuid)}
    )
    assert moved.status_code == 400
    assert "organization" in moved.json()["errors"]


def test_agency_admin_updates_own_service_and_replaces_phones(
    client: Any, world: Any, login: Any, entries: Any
) -> None:
    login(world.user("agency_admin.care"))
    service = entries["care"]
    response = send(
        client,
        "patch",
        service_url(service),
        {"phones": [{"number": "0800 12345", "free_line": True}], "sectors": ["legal"]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [phone["number"] for phone in body["phones"]] == ["0800 12345"]
    # Only the sectors were replaced; the profile stays.
    assert body["sectors"] == ["legal"]
    assert body["profiles"] == ["women"]
    change = ServiceChange.objects.filter(service=service, action="updated").get()
    assert set(change.changes) == {"phones", "terms"}
    assert AuditEvent.objects.filter(action="service.updated", object_uuid=service.uuid).exists()


def test_coordinator_updates_any_service(client: Any, world: Any, login: Any, entries: Any) -> None:
    login(world.user("coordinator"))
    hias = entries["hias_draft"]
    response = send(
        client,
        "put",
        service_url(hias),
        payload(world.hias, name_es="Borrador HIAS revisado", status="active"),
    )
    assert response.status_code == 200, response.json()
    hias.refresh_from_db()
    assert hias.name_es == "Borrador HIAS revisado"
    assert hias.status == "active"
    change = ServiceChange.objects.get(service=hias, action="updated")
    assert change.changes["status"] == ["draft", "active"]
    assert change.actor == world.user("coordinator")


# --- Validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"is_free": False, "fee_detail": ""}, "fee_detail"),
        ({"sectors": ["psychosocial_support", "astrology"]}, "sectors"),
        ({"profiles": ["psychosocial_support"]}, "profiles"),  # a sector is not a profile
        ({"minimum_age": 18, "maximum_age": 12}, "maximum_age"),
        ({"documents_required": True}, "required_documents"),
        (
            {"in_person": False, "by_phone": False, "online": False, "outreach": False},
            "non_field_errors",
        ),
        ({"schedules": [{"weekday": 1, "opens_at": "18:00", "closes_at": "09:00"}]}, "schedules"),
        ({"service_areas": ["PE-XXX"]}, "service_areas"),
        ({"locations": [str(uuid.uuid4())]}, "locations"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"languages": ["Spanish"]}, "languages"),
    ],
)
def test_invalid_payload_is_a_json_400(
    client: Any, world: Any, login: Any, extra: dict[str, Any], field: str
) -> None:
    login(world.user("agency_admin.care"))
    response = send(client, "post", SERVICES, payload(world.care, **extra))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["message"]
    assert field in body["errors"], body
    assert not Service.objects.exists()
    assert not ServiceChange.objects.exists()


def test_patch_is_validated_against_the_stored_service(
    client: Any, world: Any, login: Any, entries: Any
) -> None:
    login(world.user("agency_admin.care"))
    response = send(client, "patch", service_url(entries["care"]), {"is_free": False})
    assert response.status_code == 400
    assert "fee_detail" in response.json()["errors"]
    ok = send(
        client, "patch", service_url(entries["care"]), {"is_free": False, "fee_detail": "S/ 10"}
    )
    assert ok.status_code == 200


# --- Filters, pagination, queries ------------------------------------------------------


def test_list_filters(client: Any, world: Any, login: Any, entries: Any) -> None:
    login(world.user("coordinator"))

    def names(**params: Any) -> set[str]:
        response = client.get(SERVICES, params)
        assert response.status_code == 200, response.json()
        return {item["name_es"] for item in response.json()["results"]}

    assert names(status="draft") == {"Borrador CARE", "Borrador HIAS"}
    assert names(organization=str(world.hias.uuid)) == {
        "Atención en salud mental HIAS",
        "Borrador HIAS",
    }
    assert names(search="ATENCION salud") == {"Atención en salud mental HIAS"}
    assert names(search="psicosocial") == {"Apoyo psicosocial CARE"}
    later = timezone.now() + timedelta(minutes=1)
    Service.objects.filter(pk=entries["care"].pk).update(updated_at=later + timedelta(seconds=1))
    assert names(modified_after=later.isoformat()) == {"Apoyo psicosocial CARE"}
    # Offsets PostgreSQL refuses (beyond ±15:59), and instants past the calendar in UTC.
    west = later.astimezone(dt.timezone(-timedelta(hours=18, minutes=4)))
    assert names(modified_after=west.isoformat()) == {"Apoyo psicosocial CARE"}
    assert names(modified_after="9999-12-31T23:00:00-18:00") == set()
    assert names(modified_after="0001-01-01T01:00:00+18:00") == names()
    bad = client.get(SERVICES, {"status": "nonsense"})
    assert bad.status_code == 400
    assert "status" in bad.json()["errors"]


def test_list_is_paginated(client: Any, world: Any, login: Any, entries: Any) -> None:
    login(world.user("coordinator"))
    body = client.get(SERVICES).json()
    assert body["count"] == 4
    assert set(body) >= {"count", "next", "previous", "results"}


def test_list_query_count_is_fixed(client: Any, world: Any, login: Any, entries: Any) -> None:
    login(world.user("caseworker.care"))
    client.get(SERVICES)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SERVICES).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for index in range(6):
        make_service(
            world.hias,
            f"Servicio {index}",
            terms=("legal", "men"),
            area="PE-LIM",
            phones=(("01 555 0000", False),),
        )
    assert count() == few
    assert few <= 12


# --- Locations ---------------------------------------------------------------------


def test_locations_create_update_and_scope(
    client: Any, world: Any, login: Any, entries: Any
) -> None:
    login(world.user("agency_admin.care"))
    created = send(
        client,
        "post",
        LOCATIONS,
        {
            "organization": str(world.care.uuid),
            "name": "Sede Tacna",
            "country": "PE",
            "admin1": "PE-TAC",
            "latitude": -18.01,
            "longitude": -70.25,
        },
    )
    assert created.status_code == 201, created.json()
    location = Location.objects.get(uuid=created.json()["uuid"])
    assert location.admin1 is not None and location.admin1.code == "PE-TAC"
    assert AuditEvent.objects.filter(action="location.created", object_uuid=location.uuid).exists()

    # Link it to the CARE service; the service's search text now knows the place.
    service = entries["care"]
    linked = send(client, "patch", service_url(service), {"locations": [str(location.uuid)]})
    assert linked.status_code == 200, linked.json()
    assert linked.json()["locations"] == [str(location.uuid)]
    history = ServiceChange.objects.filter(service=service, action="updated").get()
    assert history.changes["locations"] == [["Sede Apoyo psicosocial CARE"], ["Sede Tacna"]]
    renamed = send(client, "patch", location_url(location), {"name": "Sede Tacna Centro"})
    assert renamed.status_code == 200
    service.refresh_from_db()
    assert "tacna centro" in service.search_text
    assert AuditEvent.objects.filter(action="location.updated").count() == 1

    hias_location = entries["hias"].service_at_locations.get().location
    assert client.get(location_url(hias_location)).status_code == 200  # used by a public service
    assert send(client, "patch", location_url(hias_location), {"name": "X"}).status_code == 404
    # Linking a location one cannot edit is refused.
    refused = send(client, "patch", service_url(service), {"locations": [str(hias_location.uuid)]})
    assert refused.status_code == 400
    assert "locations" in refused.json()["errors"]
    for_hias = send(
        client, "post", LOCATIONS, {"organization": str(world.hias.uuid), "name": "Otra"}
    )
    assert for_hias.status_code == 400
    assert "organization" in for_hias.json()["errors"]


def test_location_region_must_match_country(client: Any, world: Any, login: Any) -> None:
    login(world.user("coordinator"))
    response = send(
        client,
        "post",
        LOCATIONS,
        {"organization": str(world.care.uuid), "name": "Quito", "country": "PE", "admin1": "EC-P"},
    )
    assert response.status_code == 400
    assert "admin1" in response.json()["errors"]
    half = send(
        client,
        "post",
        LOCATIONS,
        {"organization": str(world.care.uuid), "name": "Sin longitud", "latitude": -12.0},
    )
    assert half.status_code == 400
    assert "longitude" in half.json()["errors"]


def test_caseworker_cannot_create_locations(client: Any, world: Any, login: Any) -> None:
    login(world.user("caseworker.care"))
    response = send(client, "post", LOCATIONS, {"organization": str(world.care.uuid), "name": "X"})
    assert response.status_code == 403
    assert not Location.objects.exists()


# --- Vocabularies, tokens, schema ------------------------------------------------------


def test_terms_and_areas_are_read_only_lists(client: Any, world: Any, login: Any) -> None:
    login(world.user("caseworker.care"))
    sectors = client.get(TERMS, {"taxonomy": "sector"}).json()
    assert {item["taxonomy"] for item in sectors["results"]} == {"sector"}
    assert "psychosocial_support" in {item["code"] for item in sectors["results"]}
    areas = client.get(AREAS, {"country": "EC"}).json()
    assert areas["count"] > 20
    assert {item["country"] for item in areas["results"]} == {"EC"}
    tumbes = client.get(reverse("directory_api:admin-area-detail", kwargs={"code": "PE-TUM"}))
    assert tumbes.json()["name_es"] == "Tumbes"
    assert send(client, "post", TERMS, {"code": "x"}).status_code == 405


def test_token_authentication(world: Any) -> None:
    # Agency admins pass the second factor to get a token, like case roles.
    device, _codes = enrol(world.user("agency_admin.care"))
    api = Client()
    token = api.post(
        reverse("api:token"),
        json.dumps(
            {
                "email": "agency_admin.care@test.org",
                "password": PASSWORD,
                "otp": totp_code(device),
            }
        ),
        content_type="application/json",
    )
    assert token.status_code == 200, token.json()
    headers = {"HTTP_AUTHORIZATION": f"Token {token.json()['token']}"}
    created = api.post(
        SERVICES, json.dumps(payload(world.care)), content_type="application/json", **headers
    )
    assert created.status_code == 201, created.json()
    assert api.get(SERVICES, **headers).json()["count"] == 1


def test_openapi_schema_documents_the_directory_api(client: Any) -> None:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert "/api/v1/directory/services/" in schema["paths"]
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/directory/services/"])
    assert {"get", "put", "patch"} <= set(schema["paths"]["/api/v1/directory/services/{uuid}/"])
    assert "/api/v1/directory/locations/" in schema["paths"]
    assert "/api/v1/directory/taxonomy-terms/" in schema["paths"]
    assert "/api/v1/directory/admin-areas/" in schema["paths"]
