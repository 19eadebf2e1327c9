"""The HSDS tabular export: the data package's files and columns, and every published row."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from ruta.directory.access import public_services
from ruta.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from ruta.directory.tests.factories import make_service
from ruta.hsds.mapping import VIRTUAL_TAXONOMIES, VIRTUAL_TERMS
from ruta.hsds.tests.test_hsds_api import assert_valid, reference_dir, rich_service


def reference_resources() -> dict[str, dict[str, Any]]:
    package = json.loads((reference_dir() / "hsds_datapackage.json").read_text())
    return {resource["path"]: resource for resource in package["resources"]}


def read_zip(data: bytes) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        tables = {}
        for name in archive.namelist():
            if name.endswith(".csv"):
                reader = csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline=""))
                header = next(reader)
                tables[name] = [dict(zip(header, row, strict=True)) for row in reader]
                tables[name + "#header"] = header  # type: ignore[assignment]
    return package, tables


@pytest.fixture
def published(world: Any) -> dict[str, Any]:
    rich = rich_service(world)
    always = make_service(world.hias, "Línea 24 horas", open_24_7=True, by_phone=True)
    make_service(world.care, "Borrador", status="draft", area="PE-LIM", phones=(("1", False),))
    return {"rich": rich, "always": always}


@pytest.mark.django_db
def test_export_zip_has_the_hsds_files_columns_and_rows(client: Any, published: Any) -> None:
    response = client.get(reverse("hsds:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in response["Content-Disposition"]
    package, tables = read_zip(b"".join(response.streaming_content))

    reference = reference_resources()
    paths = [resource["path"] for resource in package["resources"]]
    assert len(paths) == 21  # every resource (what Ruta has no model for: kept records)
    for resource in package["resources"]:
        expected = reference[resource["path"]]
        assert resource["name"] == expected["name"]
        assert resource["schema"] == expected["schema"]
        fields = [f["name"] for f in expected["schema"]["fields"]]
        assert tables[resource["path"] + "#header"] == fields, resource["path"]
    assert sorted(name for name in tables if not name.endswith("#header")) == sorted(paths)

    services = public_services()
    counts = {path: len(rows) for path, rows in tables.items() if not path.endswith("#header")}
    assert counts["services.csv"] == services.count() == 2
    assert counts["organizations.csv"] == 4  # every active organization
    assert counts["phones.csv"] == Phone.objects.filter(service__in=services).count() == 2
    assert counts["schedules.csv"] == Schedule.objects.filter(service__in=services).count() + 1
    assert (
        counts["service_at_location.csv"]
        == ServiceAtLocation.objects.filter(service__in=services).count()
        == 1
    )
    assert (
        counts["locations.csv"]
        == Location.objects.filter(service_at_locations__service__in=services).distinct().count()
    )
    assert counts["addresses.csv"] == 1 and counts["accessibility.csv"] == 1
    assert counts["service_areas.csv"] == ServiceArea.objects.filter(service__in=services).count()
    assert counts["languages.csv"] == 2
    assert counts["cost_options.csv"] == 2 and counts["required_documents.csv"] == 1
    assert counts["taxonomies.csv"] == Taxonomy.objects.count() + len(VIRTUAL_TAXONOMIES)
    assert counts["taxonomy_terms.csv"] == TaxonomyTerm.objects.count() + len(VIRTUAL_TERMS)
    stored_links = Service.terms.through.objects.filter(service__in=services).count()
    # stored terms + modality + intake per service + phone features (WhatsApp, free line)
    assert counts["attributes.csv"] == stored_links + (2 + 1) + (2 + 1) + 2

    assert {row["name"] for row in tables["services.csv"]} == {
        "Apoyo psicológico",
        "Línea 24 horas",
    }
    rich = next(r for r in tables["services.csv"] if r["id"] == str(published["rich"].uuid))
    assert (rich["status"], rich["minimum_age"], rich["organization_id"]) == (
        "active",
        "18",
        str(published["rich"].organization.uuid),
    )
    address = tables["addresses.csv"][0]
    assert (address["state_province"], address["country"], address["address_type"]) == (
        "Tumbes",
        "PE",
        "physical",
    )
    for row in tables["taxonomy_terms.csv"]:
        assert_valid({k: v for k, v in row.items() if v}, "taxonomy_term.json")
    for row in tables["organizations.csv"]:
        assert_valid({k: v for k, v in row.items() if v}, "organization.json")


@pytest.mark.django_db
def test_export_query_count_does_not_grow_with_services(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(30):
        rich_service(world, f"Servicio {number:02d}")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("hsds:export"))
        data = b"".join(response.streaming_content)
    _package, tables = read_zip(data)
    assert len(tables["services.csv"]) == 30


@pytest.mark.django_db
@override_settings(RUTA_BASE_URL="https://ruta.test")
def test_export_command_writes_the_same_package(tmp_path: Path, published: Any) -> None:
    target = tmp_path / "hsds.zip"
    out = io.StringIO()
    call_command("export_hsds", str(target), "--lang", "en", stdout=out)
    assert "services.csv: 2" in out.getvalue()
    package, tables = read_zip(target.read_bytes())
    assert {r["name"] for r in tables["services.csv"]} == {
        "Psychological support",
        "Línea 24 horas",
    }
    assert len(package["resources"]) == 21
    # Each organization's uri is its address in this installation's HSDS API (it was
    # empty from the command, which has no request to read the address from).
    uris = {row["id"]: row["uri"] for row in tables["organizations.csv"]}
    assert uris and all(
        uri == f"https://ruta.test/api/hsds/organizations/{org}" for org, uri in uris.items()
    )
    call_command(
        "export_hsds", str(target), "--base-url", "https://ruta.example.org/", stdout=io.StringIO()
    )
    _package, tables = read_zip(target.read_bytes())
    assert all(
        row["uri"].startswith("https://ruta.example.org/api/hsds/organizations/")
        for row in tables["organizations.csv"]
    )


@pytest.mark.django_db
def test_the_address_carries_its_postal_code(client: Any, published: Any) -> None:
    """HSDS requires postal_code on an address: Ruta keeps it (it was always empty)."""
    Location.objects.filter(service_at_locations__service=published["rich"]).update(
        postal_code="24001"
    )
    _package, tables = read_zip(b"".join(client.get(reverse("hsds:export")).streaming_content))
    (address,) = tables["addresses.csv"]
    assert address["postal_code"] == "24001"
