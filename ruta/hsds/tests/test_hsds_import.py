"""HSDS import: checked as a whole, nothing written on error, idempotent on HSDS ids."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from conftest import verified_login
from ruta.agencies.models import Organization
from ruta.audit.models import AuditEvent
from ruta.directory.models import (
    ImportJob,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
)
from ruta.directory.tests.factories import make_service
from ruta.hsds.export import export_file
from ruta.hsds.importer import run_import
from ruta.hsds.mapping import virtual_term
from ruta.hsds.tests.test_hsds_api import assert_valid, get, rich_service
from ruta.lib.clock import local_date

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks

ORG_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
LOCATION_ID = "0f6f3a4e-1b4c-4b55-9a3e-4c0f7b2f9d11"


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages are asserted in English (pages under /en/, reports in English)."""
    with translation.override("en"):
        yield


def new_id() -> str:
    return str(uuid.uuid4())


def service_doc(name: str = "Apoyo psicosocial en Tumbes", **extra: Any) -> dict[str, Any]:
    """A fully nested HSDS service as another directory would publish it."""
    service_id = new_id()
    doc = {
        "id": service_id,
        "name": name,
        "alternate_name": "Psychosocial support in Tumbes",
        "description": "Grupos de apoyo para mujeres.",
        "status": "active",
        "email": "tumbes@example.org",
        "url": "https://example.org/tumbes",
        "minimum_age": 15,
        "assured_date": "2026-11-02",
        "organization": {
            "id": ORG_ID,
            "name": "Red de Salud Mental de Tumbes",
            "alternate_name": "RSMT",
            "description": "Red comunitaria.",
        },
        "phones": [
            {
                "id": new_id(),
                "number": "+51 972 000 111",
                "attributes": [
                    {
                        "id": new_id(),
                        "taxonomy_term_id": str(virtual_term("ruta_phone", "whatsapp").uuid),
                    }
                ],
            }
        ],
        "schedules": [
            {
                "id": new_id(),
                "freq": "WEEKLY",
                "byday": "MO,WE",
                "opens_at": "09:00",
                "closes_at": "13:00",
                "timezone": -5,
            }
        ],
        "service_at_locations": [
            {
                "id": new_id(),
                "location": {
                    "id": LOCATION_ID,
                    "location_type": "physical",
                    "name": "Centro comunitario Tumbes",
                    "latitude": -3.566,
                    "longitude": -80.451,
                    "addresses": [
                        {
                            "id": new_id(),
                            "address_1": "Jr. Bolognesi 250",
                            "city": "Tumbes",
                            "state_province": "Tumbes",
                            "postal_code": "24001",
                            "country": "PE",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "attributes": [
            {  # a term known by taxonomy and code, with an id Ruta has never seen
                "id": new_id(),
                "taxonomy_term": {
                    "id": new_id(),
                    "code": "women",
                    "name": "Women",
                    "description": "",
                    "taxonomy": "population",
                },
            },
            {  # a term known by its Ruta id
                "id": new_id(),
                "taxonomy_term_id": str(TaxonomyTerm.objects.get(code="psychosocial_support").uuid),
            },
            {
                "id": new_id(),
                "taxonomy_term_id": str(virtual_term("ruta_modality", "by_phone").uuid),
            },
        ],
        "languages": [{"id": new_id(), "code": "es"}, {"id": new_id(), "code": "que"}],
    }
    doc.update(extra)
    return doc


def as_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def directory_counts() -> dict[str, int]:
    models = [*apps.get_app_config("directory").get_models(), Organization]
    return {model._meta.label: model.objects.count() for model in models}


# --- JSON ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_valid_json_import_creates_everything(world: Any) -> None:
    coordinator = world.user("coordinator")
    document = [service_doc(), service_doc("Línea de escucha")]
    before = directory_counts()
    dry = run_import(as_bytes(document), "tumbes.json", actor=coordinator, dry_run=True)
    assert dry.valid, dry.errors
    assert directory_counts() == before  # a dry run writes nothing
    assert dry.counts["services_created"] == 2

    result = run_import(as_bytes(document), "tumbes.json", actor=coordinator, dry_run=False)
    assert result.valid, result.errors
    assert result.counts["services_created"] == 2
    assert result.counts["organizations_created"] == 1
    assert result.counts["locations_created"] == 1
    service = Service.objects.get(uuid=document[0]["id"])
    assert service.name_es == "Apoyo psicosocial en Tumbes"
    # alternate_name is another name, not the English one: kept as received, exported back.
    assert service.name_en == ""
    assert service.kept_records.get(entity="service").data["alternate_name"] == (
        "Psychosocial support in Tumbes"
    )
    assert service.status == "active"
    assert service.organization.name == "Red de Salud Mental de Tumbes"
    assert service.organization.acronym == "RSMT"
    assert service.minimum_age == 15 and service.languages == ["es", "qu"]
    assert (service.in_person, service.by_phone) == (False, True)
    assert sorted(service.terms.values_list("code", flat=True)) == [
        "psychosocial_support",
        "women",
    ]
    phone = service.phones.get()
    assert (phone.number, phone.whatsapp, str(phone.uuid)) == (
        "+51 972 000 111",
        True,
        document[0]["phones"][0]["id"],
    )
    assert sorted((s.weekday, s.opens_at) for s in service.schedules.all()) == [
        (1, time(9)),
        (3, time(9)),
    ]
    assert service.timezone == "America/Lima"
    assert timezone.localdate(service.last_verified_at).isoformat() == "2026-11-02"
    location = Location.objects.get(uuid=LOCATION_ID)
    assert (location.admin1.code, location.city, location.address, location.postal_code) == (
        "PE-TUM",
        "Tumbes",
        "Jr. Bolognesi 250",
        "24001",
    )
    assert ServiceAtLocation.objects.filter(location=location).count() == 2
    assert "tumbes" in service.search_text and "psychosocial" in service.search_text
    change = ServiceChange.objects.get(service=service)
    assert (change.action, change.actor) == ("created", coordinator)
    assert AuditEvent.objects.filter(action="hsds.imported", actor=coordinator).exists()


@pytest.mark.django_db
def test_reimport_updates_and_never_duplicates(world: Any) -> None:
    document = [service_doc(), service_doc("Línea de escucha")]
    assert run_import(as_bytes(document), "a.json", dry_run=False).valid
    counts = directory_counts()
    document[0]["name"] = "Apoyo psicosocial renovado"
    document[0]["phones"][0]["number"] = "+51 972 000 222"
    result = run_import(as_bytes(document), "a.json", dry_run=False)
    assert result.valid, result.errors
    assert (result.counts["services_created"], result.counts["services_updated"]) == (0, 2)
    changed = directory_counts()
    assert changed.pop("directory.ServiceChange") == counts.pop("directory.ServiceChange") + 1
    assert changed == counts
    service = Service.objects.get(uuid=document[0]["id"])
    assert service.name_es == "Apoyo psicosocial renovado"
    assert list(service.phones.values_list("number", flat=True)) == ["+51 972 000 222"]
    assert ServiceChange.objects.filter(service=service, action="updated").exists()


@pytest.mark.django_db
def test_bad_rows_leave_the_database_untouched_and_are_all_reported(world: Any) -> None:
    make_service(world.care, "Ya existente")
    good = service_doc("Bueno")
    missing_name = service_doc()
    del missing_name["name"]
    bad_uuid = service_doc("UUID malo")
    bad_uuid["phones"][0]["id"] = "not-a-uuid"
    unknown_term = service_doc("Término desconocido")
    unknown_term["attributes"].append({"id": new_id(), "taxonomy_term_id": new_id()})
    duplicate = service_doc("Duplicado", id=good["id"])
    document = [good, missing_name, bad_uuid, unknown_term, duplicate]
    before = directory_counts()

    result = run_import(as_bytes(document), "malo.json", dry_run=False)

    assert not result.valid
    assert directory_counts() == before
    found = {(issue.line, issue.field) for issue in result.errors}
    assert (2, "name") in found
    assert (3, "phones[0].id") in found
    assert (4, "attributes[3].taxonomy_term_id") in found
    assert (5, "id") in found
    assert len(result.errors) == 4, result.errors
    assert {issue.file for issue in result.errors} == {"malo.json"}
    reasons = " | ".join(issue.reason for issue in result.errors)
    assert "required" in reasons and "UUID" in reasons and "Unknown taxonomy term" in reasons
    assert "more than once" in reasons


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"status": "open"}, "status", "one of"),
        ({"minimum_age": "ten"}, "minimum_age", "number"),
        ({"minimum_age": 150}, "minimum_age", "between"),
        ({"minimum_age": 40, "maximum_age": 20}, "maximum_age", "maximum age"),
        ({"email": "not-an-email"}, "email", "e-mail"),
        ({"url": "ftp//x"}, "url", "web address"),
        ({"name": "x" * 201}, "name", "at most 200"),
        (
            {"organization_id": new_id(), "organization": None},
            "organization_id",
            "Unknown organization",
        ),
    ],
)
def test_field_errors(world: Any, change: dict[str, Any], field: str, words: str) -> None:
    document = service_doc(**change)
    result = run_import(as_bytes([document]), "x.json", dry_run=True)
    assert not result.valid
    assert any(i.field == field and words in i.reason for i in result.errors), result.errors


@pytest.mark.django_db
def test_nested_value_errors(world: Any) -> None:
    document = service_doc()
    document["schedules"][0].update({"byday": "MO,XX", "opens_at": "9am"})
    location = document["service_at_locations"][0]["location"]
    location["latitude"] = 123
    location["addresses"][0]["country"] = "Peru"
    document["languages"].append({"id": new_id(), "code": "zz"})
    result = run_import(as_bytes([document]), "x.json", dry_run=True)
    fields = {issue.field for issue in result.errors}
    assert {
        "schedules[0].opens_at",
        "service_at_locations[0].location.latitude",
        "service_at_locations[0].location.addresses[0].country",
        "languages[2].code",
    } <= fields, result.errors


@pytest.mark.django_db
def test_organization_name_taken_by_another_id_is_an_error(world: Any) -> None:
    document = service_doc()
    document["organization"]["name"] = "CARE Perú"
    result = run_import(as_bytes([document]), "x.json", dry_run=True)
    assert [(i.field, "already exists" in i.reason) for i in result.errors] == [
        ("organization.name", True)
    ]


@pytest.mark.django_db
def test_two_new_organizations_cannot_share_a_name(world: Any) -> None:
    first, second = service_doc(), service_doc("Otro")
    second["organization"] = {**first["organization"], "id": new_id()}
    result = run_import(as_bytes([first, second]), "x.json", dry_run=False)
    assert [(i.line, i.field) for i in result.errors] == [(2, "organization.name")]
    assert not Organization.objects.filter(name=first["organization"]["name"]).exists()


@pytest.mark.django_db
def test_an_unexpected_failure_is_reported_and_writes_nothing(world: Any) -> None:
    from ruta.hsds.runner import run_job

    job = ImportJob.objects.create(
        created_by=world.user("coordinator"), file="imports/missing.json", dry_run=False
    )
    run_job(job)
    job.refresh_from_db()
    assert (job.status, job.progress) == ("failed", 100)
    assert "unexpected error" in job.report["errors"][0]["reason"]
    assert Service.objects.count() == 0


@pytest.mark.django_db
def test_ids_owned_by_another_service_are_refused(world: Any) -> None:
    other = make_service(world.care, "Otro", phones=(("123", False),))
    document = service_doc()
    document["phones"][0]["id"] = str(other.phones.get().uuid)
    result = run_import(as_bytes([document]), "x.json", dry_run=True)
    assert any("another service" in i.reason for i in result.errors)


@pytest.mark.django_db
def test_object_with_organizations_taxonomies_and_terms(world: Any) -> None:
    """The other JSON shape: organizations nesting services, terms defined apart."""
    service = service_doc()
    organization = service.pop("organization")
    taxonomy_id, term_id = new_id(), new_id()
    service["attributes"] = [{"id": new_id(), "taxonomy_term_id": term_id}]
    document = {
        "organizations": [{**organization, "services": [service]}],
        "taxonomies": [{"id": taxonomy_id, "name": "Perfil de población", "description": ""}],
        "taxonomy_terms": [
            {
                "id": term_id,
                "code": "girls",
                "name": "Girls",
                "description": "",
                "taxonomy_id": taxonomy_id,
            }
        ],
    }
    result = run_import(as_bytes(document), "org.json", dry_run=False)
    assert result.valid, result.errors
    imported = Service.objects.get(uuid=service["id"])
    assert imported.organization.uuid == uuid.UUID(ORG_ID)
    assert list(imported.terms.values_list("code", flat=True)) == ["girls"]


@pytest.mark.django_db
def test_not_json_and_not_hsds(world: Any) -> None:
    result = run_import(b"{nope", "x.json")
    assert [(i.file, i.line) for i in result.errors] == [("x.json", 1)]
    result = run_import(b'{"hello": 1}', "x.json")
    assert not result.valid and "Expected a list of services" in result.errors[0].reason


# --- Tabular ---------------------------------------------------------------------------


def snapshot_directory() -> list[dict[str, Any]]:
    rows = []
    for service in Service.objects.order_by("uuid"):
        rows.append(
            {
                "uuid": service.uuid,
                "organization": service.organization_id,
                "fields": {
                    name: getattr(service, name)
                    for name in (
                        # Not name_en: HSDS's alternate_name is another name, not the
                        # English one; it is kept as received (test_hsds_lossless).
                        "name_es",
                        "description_es",
                        "status",
                        "intake_status",
                        "intake_reason",
                        "url",
                        "email",
                        "languages",
                        "is_free",
                        "fee_detail",
                        "documents_required",
                        "required_documents",
                        "eligibility_es",
                        "minimum_age",
                        "maximum_age",
                        "in_person",
                        "by_phone",
                        "online",
                        "outreach",
                        "open_24_7",
                        "timezone",
                        "illustrative",
                    )
                },
                "verified": (
                    local_date(service.last_verified_at, service.timezone)
                    if service.last_verified_at
                    else None
                ),
                "terms": sorted(service.terms.values_list("code", flat=True)),
                "phones": sorted(
                    service.phones.values_list(
                        "uuid", "number", "extension", "whatsapp", "free_line"
                    )
                ),
                "schedules": sorted(
                    service.schedules.values_list("uuid", "weekday", "opens_at", "closes_at")
                ),
                "links": sorted(
                    service.service_at_locations.values_list(
                        "uuid",
                        "location__uuid",
                        "location__name",
                        "location__address",
                        "location__city",
                        "location__admin1__code",
                        "location__latitude",
                        "location__accessibility",
                    )
                ),
                "areas": sorted(service.service_areas.values_list("uuid", "area__code")),
            }
        )
    return rows


@pytest.mark.django_db
def test_tabular_round_trip(world: Any) -> None:
    rich_service(world)
    rich_service(world, "Consejería para adolescentes", terms=("girls", "boys", "layer3"))
    make_service(world.hias, "Línea 24 horas", open_24_7=True, by_phone=True, illustrative=True)
    make_service(
        world.hias,
        "Orientación en Quito",
        timezone="America/Guayaquil",
        hours=((2, time(9), time(12)),),
        area="EC-P",
    )
    expected = snapshot_directory()
    archive, _counts = export_file()
    data = archive.read()

    Service.objects.all().delete()
    assert Service.objects.count() == 0 and Phone.objects.count() == 0
    result = run_import(data, "ruta.zip", actor=world.user("coordinator"), dry_run=False)

    assert result.valid, result.errors
    assert result.format == "tabular"
    assert result.counts["services_created"] == 4
    assert snapshot_directory() == expected
    assert Schedule.objects.count() == sum(len(s["schedules"]) for s in expected)


@pytest.mark.django_db
def test_tabular_errors_carry_file_and_line(world: Any) -> None:
    rich_service(world)
    archive, _counts = export_file()
    with zipfile.ZipFile(archive) as source:
        files = {name: source.read(name) for name in source.namelist()}
    rows = list(csv.reader(io.StringIO(files["phones.csv"].decode())))
    rows[2][0] = "bad-id"  # the second phone: line 3 of phones.csv
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    files["phones.csv"] = out.getvalue().encode()
    services = list(csv.reader(io.StringIO(files["services.csv"].decode())))
    services[0].remove("status")  # a required column goes missing
    for row in services[1:]:
        del row[8]
    out = io.StringIO()
    csv.writer(out).writerows(services)
    files["services.csv"] = out.getvalue().encode()
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for name, content in files.items():
            target.writestr(name, content)
    before = directory_counts()

    result = run_import(broken.getvalue(), "broken.zip", dry_run=False)

    assert not result.valid
    assert directory_counts() == before
    found = {(i.file, i.line, i.field) for i in result.errors}
    assert ("phones.csv", 3, "id") in found
    assert ("services.csv", 1, "status") in found


# --- Command, upload page and task --------------------------------------------------------


@pytest.mark.django_db
def test_import_command(tmp_path: Path, world: Any) -> None:
    path = tmp_path / "services.json"
    path.write_bytes(as_bytes([service_doc()]))
    out = io.StringIO()
    call_command("import_hsds", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and Service.objects.count() == 0
    call_command("import_hsds", str(path), "--user", "coord@test.org", stdout=out)
    service = Service.objects.get()
    assert service.changes.get().actor == world.user("coordinator")
    bad = tmp_path / "bad.json"
    bad.write_bytes(as_bytes([service_doc(status="open")]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_hsds", str(bad), stdout=out)
    assert "bad.json:1 status" in out.getvalue()


def upload(client: Any, document: Any, mode: str = "dry_run") -> Any:
    file = SimpleUploadedFile("servicios.json", as_bytes(document), "application/json")
    return client.post(reverse("hsds_import:upload"), {"file": file, "mode": mode})


@pytest.mark.django_db
def test_upload_dry_run_then_import_for_real(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    page = client.get(reverse("hsds_import:upload"))
    assert page.status_code == 200 and 'type="file"' in page.content.decode()
    before = directory_counts()
    response = upload(client, [service_doc()])
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hsds_import:detail", args=[job.uuid])
    assert (job.status, job.dry_run, job.progress) == ("valid", True, 100)
    assert job.report["counts"]["services_created"] == 1
    counts = directory_counts()
    assert counts.pop("directory.ImportJob") == before.pop("directory.ImportJob") + 1
    assert counts == before

    detail = client.get(response["Location"]).content.decode()
    assert "Import for real" in detail and "hx-trigger" not in detail
    response = client.post(reverse("hsds_import:confirm", args=[job.uuid]))
    confirmed = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("hsds_import:detail", args=[confirmed.uuid])
    assert (confirmed.status, confirmed.dry_run) == ("done", False)
    assert Service.objects.get().changes.get().actor == world.user("coordinator")
    # A finished import cannot be confirmed again.
    client.post(reverse("hsds_import:confirm", args=[confirmed.uuid]))
    assert ImportJob.objects.count() == 2


@pytest.mark.django_db
def test_upload_shows_every_error(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    document = [service_doc(status="open"), service_doc(minimum_age=-1)]
    response = upload(client, document, mode="import")
    job = ImportJob.objects.get()
    assert job.status == "failed" and Service.objects.count() == 0
    html = client.get(response["Location"]).content.decode()
    assert "Import for real" not in html
    assert html.count("<tr><td>servicios.json</td>") == 2
    assert "minimum_age" in html and "status" in html


@pytest.mark.django_db
def test_upload_form_refuses_other_files(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    file = SimpleUploadedFile("notes.txt", b"hello", "text/plain")
    response = client.post(reverse("hsds_import:upload"), {"file": file, "mode": "dry_run"})
    assert response.status_code == 200
    assert "Choose a .json or .zip file." in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_pending_job_polls_with_htmx_and_finished_one_stops(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    job = ImportJob.objects.create(
        created_by=world.user("coordinator"),
        file=SimpleUploadedFile("x.json", b"[]"),
        original_name="x.json",
        status="running",
        progress=40,
    )
    url = reverse("hsds_import:detail", args=[job.uuid])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="40"' in html
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith("<section") and "<html" not in partial
    ImportJob.objects.filter(pk=job.pk).update(
        status="done", report={"counts": {"services_created": 3}}
    )
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial and "The file was imported." in partial


@pytest.mark.django_db
def test_agency_admin_cannot_import(client: Any, world: Any) -> None:
    verified_login(client, world.user("agency_admin.care"))
    assert client.get(reverse("hsds_import:upload")).status_code == 403
    response = upload(client, [service_doc()])
    assert response.status_code == 403 and ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_round_trip_through_the_api_json(client: Any, world: Any) -> None:
    """Fully nested services from /api/hsds/services?full=true import back unchanged."""
    rich_service(world)
    expected = snapshot_directory()
    body = client.get(reverse("hsds:services"), {"full": "true"}).json()
    for item in body["contents"]:
        assert_valid(item, "compiled/service.json")
    Service.objects.all().delete()
    result = run_import(as_bytes(body), "page.json", dry_run=False)
    assert result.valid, result.errors
    assert snapshot_directory() == expected


# --- The day a service was assured: its own calendar day --------------------------------

LATE_EVENING_IN_LIMA = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)  # 22:00 on 2 Nov in Lima


@pytest.mark.django_db
@time_machine.travel(LATE_EVENING_IN_LIMA, tick=False)
def test_assured_date_is_the_day_where_the_service_is(client: Any, world: Any) -> None:
    """HSDS keeps a day without a zone: Ruta writes and reads the service's own local day."""
    lima = make_service(world.care, "En Lima", last_verified_at=timezone.now())
    madrid = make_service(
        world.care, "En Madrid", timezone="Europe/Madrid", last_verified_at=timezone.now()
    )
    assert get(client, "service", lima.uuid).json()["assured_date"] == "2026-11-02"
    assert get(client, "service", madrid.uuid).json()["assured_date"] == "2026-11-03"

    document = [service_doc(assured_date="2026-11-02")]
    result = run_import(
        as_bytes(document), "a.json", actor=world.user("coordinator"), dry_run=False
    )
    assert result.valid, result.errors
    imported = Service.objects.get(uuid=document[0]["id"])
    assert imported.last_verified_at == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)  # noon in Lima
    # Assured again the same local day: the exact time Ruta knows is kept.
    Service.objects.filter(pk=imported.pk).update(last_verified_at=LATE_EVENING_IN_LIMA)
    result = run_import(
        as_bytes(document), "a.json", actor=world.user("coordinator"), dry_run=False
    )
    assert result.valid, result.errors
    imported.refresh_from_db()
    assert imported.last_verified_at == LATE_EVENING_IN_LIMA


@pytest.mark.django_db
def test_a_time_zone_folder_named_in_a_schedule_note_is_not_a_zone(world: Any) -> None:
    # "America/Argentina" is a folder of the time zone database, not a zone: it used to end
    # the whole import as an unexpected error.
    document = service_doc()
    document["schedules"][0]["notes"] = "Atención también en horario de America/Argentina"
    result = run_import(as_bytes([document]), "x.json", dry_run=True)
    assert result.valid, result.errors


@pytest.mark.django_db
def test_a_negative_amount_names_the_lower_bound_only(world: Any) -> None:
    document = service_doc()
    document["cost_options"] = [{"id": new_id(), "amount": -5, "currency": "PEN"}]
    result = run_import(as_bytes([document]), "x.json", dry_run=True)
    assert not result.valid
    reasons = [i.reason for i in result.errors if i.field == "cost_options[0].amount"]
    assert reasons == ["Must be at least 0."], result.errors
