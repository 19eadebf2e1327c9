"""HSDS import of data as others publish it: every shape of the specification, HSDS's own
limits, repeated objects merged, absent arrays kept. The files under ``shapes/`` are small
hand-written examples of each shape."""

from __future__ import annotations

import copy
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ruta.agencies.models import Organization, OrganizationType
from ruta.directory.models import Location, Phone, Schedule, Service, ServiceAtLocation
from ruta.hsds.importer import Result, run_import
from ruta.hsds.models import KeptRecord
from ruta.hsds.tests.test_hsds_import import (
    LOCATION_ID,
    as_bytes,
    directory_counts,
    english,  # noqa: F401  (the autouse fixture: messages in English)
    service_doc,
)

SHAPES = Path(__file__).parent / "shapes"


def shape(name: str) -> bytes:
    return (SHAPES / name).read_bytes()


def dry(name: str) -> Result:
    return run_import(shape(name), name, dry_run=True)


def tabular_zip(*, without: tuple[str, ...] = ()) -> bytes:
    """The hand-written CSV package, without ``datapackage.json`` (as some publish it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((SHAPES / "tabular").glob("*.csv")):
            if path.name not in without:
                archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


# --- Every shape recognised -------------------------------------------------------------


@pytest.mark.django_db
def test_organization_full_is_read_as_an_organization_with_its_services(world: Any) -> None:
    result = run_import(shape("organization_full.json"), "org.json", dry_run=False)

    assert result.valid, result.errors
    assert result.counts["organizations_created"] == 1
    assert result.counts["services_created"] == 2
    organization = Organization.objects.get(uuid="a1000000-0000-4000-8000-000000000001")
    assert (organization.name, organization.acronym) == ("Asociación Manos Unidas de Piura", "AMUP")
    assert set(
        Service.objects.filter(organization=organization).values_list("name_es", flat=True)
    ) == {
        "Orientación legal",
        "Grupo de apoyo",
    }
    location = Location.objects.get(uuid="a1000000-0000-4000-8000-000000000021")
    assert location.organization == organization
    # The organization's own phones: kept as received, with the organization.
    assert not any("does not store" in w.reason for w in result.warnings)
    assert KeptRecord.objects.filter(entity="phone", organization=organization).exists()


@pytest.mark.django_db
def test_organization_list_is_read_as_organizations_not_services(world: Any) -> None:
    result = dry("organization_list.json")

    assert result.valid, result.errors
    assert result.counts["organizations_created"] == 2
    assert result.counts["services_created"] == 0


@pytest.mark.django_db
def test_a_lone_location_is_read_as_a_location(world: Any) -> None:
    Organization.objects.create(
        uuid="c3000000-0000-4000-8000-000000000001",
        name="Casa Arequipa",
        type=OrganizationType.NGO,
    )
    result = run_import(shape("location.json"), "location.json", dry_run=False)

    assert result.valid, result.errors
    assert (result.counts["locations_created"], result.counts["services_created"]) == (1, 0)
    location = Location.objects.get(uuid="c3000000-0000-4000-8000-000000000021")
    assert (location.name, location.city) == ("Casa de acogida Arequipa", "Arequipa")


@pytest.mark.django_db
def test_service_at_location_full_reads_its_service_location_and_repeated_objects(
    world: Any,
) -> None:
    """The same phone and schedule, by id, under the service and under its
    service_at_location: one object each, not "appears more than once"."""
    result = run_import(shape("service_at_location_full.json"), "sal.json", dry_run=False)

    assert result.valid, result.errors
    service = Service.objects.get(uuid="d4000000-0000-4000-8000-000000000011")
    assert service.organization.name == "Centro de Escucha Tacna"
    link = ServiceAtLocation.objects.get(uuid="d4000000-0000-4000-8000-000000000031")
    assert (link.service, str(link.location.uuid)) == (
        service,
        "d4000000-0000-4000-8000-000000000021",
    )
    assert link.description == "Atención en la sede de Tacna."
    assert list(service.phones.values_list("uuid", flat=True)) == [
        uuid.UUID("d4000000-0000-4000-8000-0000000000f1")
    ]
    assert Phone.objects.count() == 1
    assert Schedule.objects.filter(service=service).count() == 1


@pytest.mark.django_db
def test_repeated_objects_that_contradict_each_other_are_still_an_error(world: Any) -> None:
    document = json.loads(shape("service_at_location_full.json"))
    document["service"]["phones"][0]["number"] = "+51 52 999 999"

    result = run_import(as_bytes(document), "sal.json", dry_run=True)

    assert not result.valid
    [issue] = [e for e in result.errors if "more than once" in e.reason]
    assert issue.field == "phones[0].id"  # the copy read second: the link's own
    assert "number" in issue.reason and "+51 52 999 999" in issue.reason


@pytest.mark.django_db
def test_service_at_location_list_is_read_as_links_with_their_service(world: Any) -> None:
    result = dry("service_at_location_list.json")

    assert result.valid, result.errors
    assert result.counts["service_at_locations"] == 1
    assert result.counts["services_created"] == 1
    assert result.counts["locations_created"] == 1


@pytest.mark.django_db
def test_taxonomy_term_list_is_not_read_as_services_and_says_terms_are_not_created(
    world: Any,
) -> None:
    before = directory_counts()
    result = dry("taxonomy_term_list.json")

    assert result.valid, result.errors
    assert result.counts["services_created"] == 0
    assert len([w for w in result.warnings if "not added to Ruta's" in w.reason]) == 2
    assert directory_counts() == before


@pytest.mark.django_db
def test_a_shape_ruta_has_no_model_for_is_kept_not_misread(world: Any) -> None:
    result = run_import(shape("program.json"), "program.json", dry_run=False)

    assert result.valid, result.errors  # kept as received, nothing read as a service
    assert result.counts.get("services_created", 0) == 0
    assert KeptRecord.objects.filter(entity="program").count() == 1


@pytest.mark.django_db
def test_an_unknown_object_is_an_error_with_its_record_number(world: Any) -> None:
    result = run_import(as_bytes([{"id": str(uuid.uuid4()), "colour": "red"}]), "x.json")

    assert not result.valid
    assert [(e.line, "recognises" in e.reason) for e in result.errors] == [(1, True)]


# --- HSDS's limits, not Ruta's ----------------------------------------------------------


@pytest.mark.django_db
def test_tabular_package_without_datapackage_json_imports_within_hsds_limits(
    world: Any,
) -> None:
    """A 177-character phone description (HSDS sets no limit) and a location whose
    organization is published elsewhere (resolved from its service: a warning)."""
    result = run_import(tabular_zip(), "hsds.zip", dry_run=False)

    assert result.valid, result.errors
    assert result.format == "tabular"
    phone = Phone.objects.get(uuid="10000000-0000-4000-8000-000000000041")
    assert len(phone.description) == 177
    location = Location.objects.get(uuid="10000000-0000-4000-8000-000000000021")
    assert str(location.organization.uuid) == "10000000-0000-4000-8000-000000000001"
    [warning] = [w for w in result.warnings if w.field == "organization_id"]
    assert (warning.file, warning.line) == ("locations.csv", 2)
    assert KeptRecord.objects.filter(entity="contact").exists()  # kept as received


@pytest.mark.django_db
def test_a_location_organization_resolvable_nowhere_is_still_an_error(world: Any) -> None:
    result = run_import(tabular_zip(without=("service_at_location.csv",)), "hsds.zip")

    assert not result.valid
    assert [(e.file, e.line, e.field) for e in result.errors] == [
        ("locations.csv", 2, "organization_id")
    ]


# --- Absent is not empty ----------------------------------------------------------------


def imported_service() -> tuple[dict[str, Any], Service]:
    document = service_doc(required_documents=[{"id": str(uuid.uuid4()), "document": "DNI"}])
    assert run_import(as_bytes([document]), "full.json", dry_run=False).valid
    return document, Service.objects.get(uuid=document["id"])


def held(service: Service) -> dict[str, Any]:
    service.refresh_from_db()
    return {
        "phones": service.phones.count(),
        "schedules": service.schedules.count(),
        "locations": service.service_at_locations.count(),
        "languages": service.languages,
        "documents": service.required_documents,
        "terms": service.terms.count(),
    }


@pytest.mark.django_db
def test_a_list_shaped_import_without_nested_arrays_keeps_what_the_service_has(
    world: Any,
) -> None:
    document, service = imported_service()
    before = held(service)
    assert before["phones"] and before["schedules"] and before["locations"] and before["terms"]
    assert before["languages"] and before["documents"] == "DNI"
    summary = {key: value for key, value in document.items() if not isinstance(value, list | dict)}
    summary["organization_id"] = document["organization"]["id"]
    summary["name"] = "Apoyo psicosocial (renombrado)"

    result = run_import(as_bytes([summary]), "list.json", dry_run=False)

    assert result.valid, result.errors
    assert held(service) == before
    assert service.name_es == "Apoyo psicosocial (renombrado)"


@pytest.mark.django_db
def test_explicitly_empty_arrays_clear_what_the_service_has(world: Any) -> None:
    document, service = imported_service()
    emptied = copy.deepcopy(document)
    for key in (
        "phones",
        "schedules",
        "service_at_locations",
        "languages",
        "required_documents",
        "attributes",
    ):
        emptied[key] = []

    result = run_import(as_bytes([emptied]), "empty.json", dry_run=False)

    assert result.valid, result.errors
    assert held(service) == {
        "phones": 0,
        "schedules": 0,
        "locations": 0,
        "languages": [],
        "documents": "",
        "terms": 0,
    }
    assert Location.objects.filter(uuid=LOCATION_ID).exists()  # the place itself stays


@pytest.mark.django_db
def test_a_list_item_missing_what_tells_it_apart_is_checked_as_its_neighbours(
    world: Any,
) -> None:
    """A service without its status, among services, is a bad service row (an error on
    its line), not an object of another kind passed over with a warning."""
    good = service_doc()
    bad = {
        "id": str(uuid.uuid4()),
        "organization_id": good["organization"]["id"],
        "name": "Sin estado",
        "description": "Le falta el estado.",
    }

    result = run_import(as_bytes([good, bad]), "list.json", dry_run=True)

    assert not result.valid
    assert [(e.line, e.field) for e in result.errors] == [(2, "status")]


@pytest.mark.django_db
def test_a_tabular_package_without_a_table_keeps_that_table(world: Any) -> None:
    """No phones.csv: the services keep their phones; an empty phones.csv clears them."""
    from ruta.hsds.tests.test_hsds_import_followon import exported, zipped

    tables, service_id = exported(world)
    service = Service.objects.get(uuid=service_id)
    phones = service.phones.count()
    assert phones
    without = {name: rows for name, rows in tables.items() if name != "phones.csv"}

    result = run_import(zipped(without), "hsds.zip", dry_run=False)

    assert result.valid, result.errors
    assert service.phones.count() == phones
    emptied = zipped(without, raw={"phones.csv": "id,service_id,number\n"})
    assert run_import(emptied, "hsds.zip", dry_run=False).valid
    assert service.phones.count() == 0
