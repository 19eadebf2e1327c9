"""The HSDS 3.0 read API: every shape validated against Open Referral's own schemas.

The schemas are Open Referral's own, vendored under ``ruta/hsds/schema`` (CC BY-SA
4.0, see the NOTICE there): nothing outside the repository is read.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ruta.directory.models import (
    Location,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)
from ruta.directory.tests.factories import WITH_OWN_PAGE_CACHE, make_service
from ruta.hsds.mapping import NAMESPACE, VIRTUAL_TAXONOMIES, virtual_term
from ruta.places.models import AdminArea

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks

HSDS_DIR = Path(__file__).resolve().parents[1]

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


# --- Schema helpers (shared with the export and import tests) --------------------------


def reference_dir() -> Path:
    """The vendored HSDS 3.0 release: ``schema/`` and ``datapackage.json``."""
    return HSDS_DIR


@lru_cache(maxsize=1)
def _schemas(root: str) -> dict[str, Any]:
    folder = Path(root) / "schema"
    found = {}
    for path in [*folder.glob("*.json"), *(folder / "compiled").glob("*.json")]:
        if path.name != "openapi.json":
            found[path.relative_to(folder).as_posix()] = json.loads(path.read_text())
    return found


def schemas() -> dict[str, Any]:
    return _schemas(str(reference_dir()))


@lru_cache(maxsize=1)
def _registry(root: str) -> Registry:
    return Registry().with_resources(
        (name, Resource.from_contents(contents, default_specification=DRAFT202012))
        for name, contents in _schemas(root).items()
    )


def openapi() -> dict[str, Any]:
    return json.loads((reference_dir() / "schema" / "openapi.json").read_text())


def _unknown_keys(instance: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    """Keys the schema does not define (HSDS schemas allow them; we do not emit any)."""
    if "$ref" in schema:
        schema = schemas()[schema["$ref"]]
    found = []
    if isinstance(instance, dict) and "properties" in schema:
        for key, value in instance.items():
            if key not in schema["properties"]:
                found.append(f"{path}.{key}")
            else:
                found += _unknown_keys(value, schema["properties"][key], f"{path}.{key}")
    elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(instance):
            found += _unknown_keys(item, schema["items"], f"{path}[{index}]")
    return found


def assert_valid(instance: Any, name: str, *, exact: bool = True) -> None:
    """``instance`` validates against the HSDS schema ``name`` (e.g. compiled/service.json).

    ``exact``: and has no key the schema does not define.
    """
    reference_dir()
    validator = Draft202012Validator(
        {"$ref": name},
        registry=_registry(str(reference_dir())),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    if exact:
        assert _unknown_keys(instance, schemas()[name]) == []


def assert_page(body: dict[str, Any], item_schema: str) -> None:
    assert set(body) == PAGE_KEYS
    page = openapi()["components"]["schemas"]["Page"]
    errors = list(Draft202012Validator(page).iter_errors(body))
    assert not errors, [e.message for e in errors]
    assert body["size"] == len(body["contents"])
    assert body["empty"] is (body["size"] == 0)
    for item in body["contents"]:
        assert_valid(item, item_schema)


# --- Data --------------------------------------------------------------------------------


def rich_service(world: Any, name: str = "Apoyo psicológico", **extra: Any) -> Service:
    fields: dict[str, Any] = {
        "terms": ("psychosocial_support", "women", "layer2"),
        "area": "PE-TUM",
        "point": (-3.57, -80.45),
        "hours": ((1, time(8), time(17)), (3, time(8), time(13))),
        "phones": (("+51 999 111 222", True), ("0800 12345", False)),
        "name_en": "Psychological support",
        "description_es": "Atención psicológica individual y grupal.",
        "eligibility_es": "Mujeres adultas",
        "minimum_age": 18,
        "maximum_age": 65,
        "languages": ["es", "qu"],
        "by_phone": True,
        "is_free": False,
        "fee_detail": "S/ 10 por sesión",
        "documents_required": True,
        "required_documents": "DNI o carné de extranjería",
        "url": "https://example.org/apoyo",
        "email": "apoyo@example.org",
        "intake_status": "waiting_list",
        "intake_reason": "Hasta marzo",
        "last_verified_at": timezone.now() - timedelta(days=3),
    }
    fields.update(extra)
    service = make_service(world.care, name, **fields)
    Location.objects.filter(service_at_locations__service=service).update(
        address="Av. Tumbes 123", city="Tumbes", accessibility="Rampa de acceso"
    )
    ServiceArea.objects.create(service=service, area=AdminArea.objects.get(code="PE-PIU"))
    service.phones.filter(whatsapp=False).update(extension="12", free_line=True)
    return service


@pytest.fixture
def directory(world: Any) -> dict[str, Any]:
    rich = rich_service(world)
    always = make_service(world.hias, "Línea 24 horas", open_24_7=True, by_phone=True)
    plain = make_service(world.care, "Asesoría legal", terms=("legal",))
    draft = make_service(world.care, "Borrador secreto", status="draft", area="PE-TUM")
    world.outsider_org.active = False
    world.outsider_org.save()
    hidden = make_service(world.outsider_org, "De una organización inactiva")
    return {"rich": rich, "always": always, "plain": plain, "draft": draft, "hidden": hidden}


def get(client: Any, name: str, *args: Any, **params: Any) -> Any:
    return client.get(reverse(f"hsds:{name}", args=args), params)


# --- Root -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_root_describes_the_api(client: Any) -> None:
    response = get(client, "root")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].startswith("http://testserver/api/v1/schema/")
    assert set(body) == {"version", "profile", "openapi_url"}
    schema = openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert not list(Draft202012Validator(schema["schema"]).iter_errors(body))


@pytest.mark.django_db
def test_openapi_schema_documents_the_hsds_paths(client: Any) -> None:
    paths = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)["paths"]
    for path in (
        "/api/hsds/services",
        "/api/hsds/services/{id}",
        "/api/hsds/organizations/{id}",
        "/api/hsds/service_at_locations",
        "/api/hsds/taxonomy_terms/{id}",
        "/api/hsds/export.zip",
    ):
        assert path in paths
    names = {p["name"] for p in paths["/api/hsds/services"]["get"]["parameters"]}
    assert {"search", "taxonomy_term_id", "organization_id", "modified_after", "page"} <= names


# --- Services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_services_page_lists_published_services_only(client: Any, directory: Any) -> None:
    response = get(client, "services")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert_page(body, "compiled/service_list.json")
    assert body["total_items"] == 3
    assert [s["name"] for s in body["contents"]] == [
        "Apoyo psicológico",
        "Asesoría legal",
        "Línea 24 horas",
    ]
    first = body["contents"][0]
    assert first["alternate_name"] == "Psychological support"
    assert first["status"] == "active"
    assert first["organization"]["name"] == "CARE Perú"
    assert first["organization"]["uri"].endswith(
        f"/api/hsds/organizations/{directory['rich'].organization.uuid}"
    )
    assert "phones" not in first  # one-to-one fields only


@pytest.mark.django_db
def test_full_service_matches_compiled_service_schema(client: Any, directory: Any) -> None:
    rich = directory["rich"]
    response = get(client, "service", rich.uuid)
    assert response.status_code == 200
    body = response.json()
    assert_valid(body, "compiled/service.json")
    assert body["id"] == str(rich.uuid)
    assert body["minimum_age"] == 18 and body["maximum_age"] == 65
    assert body["fees_description"] == "S/ 10 por sesión"
    assert body["eligibility_description"] == "Mujeres adultas"
    assert body["assured_date"] == timezone.localdate(rich.last_verified_at).isoformat()
    assert "Hasta marzo" in body["alert"]
    whatsapp = next(p for p in body["phones"] if p["number"] == "+51 999 111 222")
    assert [a["taxonomy_term"]["code"] for a in whatsapp["attributes"]] == ["whatsapp"]
    landline = next(p for p in body["phones"] if p["number"] == "0800 12345")
    assert landline["extension"] == 12
    assert [a["taxonomy_term"]["code"] for a in landline["attributes"]] == ["free_line"]
    monday = next(s for s in body["schedules"] if s["byday"] == "MO")
    assert (monday["opens_at"], monday["closes_at"], monday["timezone"]) == (
        "08:00-05:00",
        "17:00-05:00",
        -5,
    )
    assert monday["freq"] == "WEEKLY" and "America/Lima" in monday["notes"]
    codes = {(a["link_type"], a["taxonomy_term"]["code"]) for a in body["attributes"]}
    assert {
        ("sector", "psychosocial_support"),
        ("population", "women"),
        ("iasc_layer", "layer2"),
        ("ruta_modality", "in_person"),
        ("ruta_modality", "by_phone"),
        ("ruta_intake", "waiting_list"),
    } <= codes
    women = next(a for a in body["attributes"] if a["taxonomy_term"]["code"] == "women")
    assert women["taxonomy_term"]["taxonomy_detail"]["name"] == "Perfil de población"
    assert women["link_id"] == str(rich.uuid) and women["link_entity"] == "service"
    (link,) = body["service_at_locations"]
    (address,) = link["location"]["addresses"]
    assert address["state_province"] == "Tumbes"
    assert address["address_1"] == "Av. Tumbes 123" and address["country"] == "PE"
    assert link["location"]["latitude"] == -3.57
    assert link["location"]["accessibility"][0]["description"] == "Rampa de acceso"
    assert [a["name"] for a in body["service_areas"]] == ["Piura"]
    assert {lang["code"] for lang in body["languages"]} == {"es", "qu"}
    assert body["required_documents"][0]["document"] == "DNI o carné de extranjería"
    assert body["cost_options"][0]["amount_description"] == "S/ 10 por sesión"


@pytest.mark.django_db
def test_full_services_list_and_24_7_schedule(client: Any, directory: Any) -> None:
    body = get(client, "services", full="true").json()
    assert_page(body, "compiled/service.json")
    always = next(s for s in body["contents"] if s["name"] == "Línea 24 horas")
    (schedule,) = always["schedules"]
    assert schedule["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert (schedule["opens_at"], schedule["closes_at"]) == ("00:00-05:00", "23:59-05:00")
    free = next(s for s in body["contents"] if s["name"] == "Asesoría legal")
    assert free["cost_options"][0]["amount"] == 0
    assert free["required_documents"] == []


@pytest.mark.django_db
def test_unknown_or_unpublished_ids_are_json_404(client: Any, directory: Any) -> None:
    for name, key in (
        ("service", directory["draft"].uuid),
        ("service", directory["hidden"].uuid),
        ("service", uuid.uuid4()),
        ("service", "not-a-uuid"),
        ("organization", directory["hidden"].organization.uuid),
        ("service_at_location", directory["draft"].service_at_locations.get().uuid),
        ("taxonomy", uuid.uuid4()),
        ("taxonomy_term", "nope"),
    ):
        response = get(client, name, key)
        assert response.status_code == 404, (name, key)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert set(response.json()) >= {"message"}


@pytest.mark.django_db
def test_english_names_with_lang(client: Any, directory: Any) -> None:
    body = get(client, "service", directory["rich"].uuid, lang="en").json()
    assert body["name"] == "Psychological support"
    assert body["alternate_name"] == "Apoyo psicológico"
    women = next(a for a in body["attributes"] if a["taxonomy_term"]["code"] == "women")
    assert women["taxonomy_term"]["name"] == "Women"
    assert women["taxonomy_term"]["language"] == "en"
    assert get(client, "services", lang="fr").status_code == 400


# --- Filters and pages ----------------------------------------------------------------


def names(client: Any, **params: Any) -> list[str]:
    response = get(client, "services", **params)
    assert response.status_code == 200, response.content
    return [s["name"] for s in response.json()["contents"]]


@pytest.mark.django_db
def test_service_filters(client: Any, world: Any, directory: Any) -> None:
    assert names(client, search="PSICOLOGICO") == ["Apoyo psicológico"]
    assert names(client, search="asesoria legal") == ["Asesoría legal"]
    assert names(client, search="secreto") == []  # drafts are never found
    legal = TaxonomyTerm.objects.get(code="legal")
    assert names(client, taxonomy_term_id=legal.uuid) == ["Asesoría legal"]
    population = Taxonomy.objects.get(code="population")
    assert names(client, taxonomy_id=population.uuid) == ["Apoyo psicológico"]
    by_phone = virtual_term("ruta_modality", "by_phone")
    assert names(client, taxonomy_term_id=by_phone.uuid) == ["Apoyo psicológico", "Línea 24 horas"]
    whatsapp = virtual_term("ruta_phone", "whatsapp")
    assert names(client, taxonomy_term_id=whatsapp.uuid) == ["Apoyo psicológico"]
    waiting = virtual_term("ruta_intake", "waiting_list")
    assert names(client, taxonomy_term_id=waiting.uuid) == ["Apoyo psicológico"]
    assert names(client, organization_id=world.hias.uuid) == ["Línea 24 horas"]
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert names(client, modified_after=future) == []
    assert len(names(client, modified_after="2000-01-01")) == 3
    Service.objects.filter(pk=directory["plain"].pk).update(
        updated_at=datetime(2001, 1, 1, tzinfo=UTC)
    )
    assert "Asesoría legal" not in names(client, modified_after="2020-01-01T00:00:00Z")
    # A moved location counts as a change of the services there.
    Service.objects.update(updated_at=datetime(2001, 1, 1, tzinfo=UTC))
    Location.objects.filter(service_at_locations__service=directory["rich"]).update(
        updated_at=timezone.now()
    )
    assert names(client, modified_after="2020-01-01") == ["Apoyo psicológico"]


@pytest.mark.django_db
def test_phone_feature_taxonomy_filter(client: Any, directory: Any) -> None:
    assert names(client, taxonomy_id=VIRTUAL_TAXONOMIES["ruta_phone"].uuid) == ["Apoyo psicológico"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"taxonomy_term_id": "x"},
        {"organization_id": "1"},
        {"modified_after": "yesterday"},
        {"page": "two"},
        {"page": ""},
        {"per_page": "1.5"},
        {"full": "maybe"},
        {"full": ""},  # a boolean says which (schemathesis found it accepted)
        {"format": "xml"},
    ],
)
def test_bad_parameters_are_400_with_a_message(client: Any, params: dict[str, str]) -> None:
    response = get(client, "services", **params)
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.django_db
def test_pages(client: Any, directory: Any) -> None:
    body = get(client, "services", per_page=2).json()
    assert (body["total_items"], body["total_pages"], body["size"]) == (3, 2, 2)
    assert body["first_page"] and not body["last_page"]
    body = get(client, "services", per_page=2, page=2).json()
    assert (body["page_number"], body["size"], body["first_page"], body["last_page"]) == (
        2,
        1,
        False,
        True,
    )
    assert body["contents"][0]["name"] == "Línea 24 horas"
    body = get(client, "services", per_page=2, page=9).json()
    assert_page(body, "compiled/service_list.json")
    assert body["empty"] and body["contents"] == [] and body["last_page"]
    body = get(client, "services", search="nada de nada").json()
    assert (body["total_items"], body["total_pages"], body["empty"]) == (0, 1, True)


PAGED = {
    "services": "compiled/service_list.json",
    "organizations": "compiled/organization_list.json",
    "service_at_locations": "compiled/service_at_location_list.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGED)
@pytest.mark.parametrize(
    ("page", "number", "empty"),
    [
        ("184467440737095518", 1_000_000_000, True),  # once an SQL OFFSET overflow (500)
        ("5867059180991397865761800192", 1_000_000_000, True),
        ("9" * 5000, 1_000_000_000, True),  # more digits than int() converts
        ("0", 1, False),
        ("-3", 1, False),
        ("-184467440737095518", 1, False),
        ("+1", 1, False),
    ],
)
def test_any_whole_page_number_is_a_page(
    client: Any, directory: Any, name: str, page: str, number: int, empty: bool
) -> None:
    response = get(client, name, page=page)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_page(body, PAGED[name])
    assert body["page_number"] == number
    assert (body["empty"], body["first_page"], body["last_page"]) == (empty, number == 1, True)
    assert body["total_items"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGED)
@pytest.mark.parametrize(
    ("per_page", "size"),
    [("0", 1), ("-5", 1), ("1", 1), ("184467440737095518", None), ("9" * 5000, None)],
)
def test_any_whole_per_page_is_clamped(
    client: Any, directory: Any, name: str, per_page: str, size: int | None
) -> None:
    response = get(client, name, per_page=per_page)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_page(body, PAGED[name])
    if size is None:  # at most 500 a page: everything on one page
        assert body["size"] == body["total_items"] and body["total_pages"] == 1
    else:
        assert body["size"] == size and body["total_pages"] == body["total_items"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGED)
@pytest.mark.parametrize("parameter", ["page", "per_page"])
@pytest.mark.parametrize("value", ["", "two", "1.5", "1e3", "0x10", "\u0661", "1_000", "- 1"])
def test_page_parameters_that_are_not_whole_numbers_are_400(
    client: Any, name: str, parameter: str, value: str
) -> None:
    response = get(client, name, **{parameter: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json()["message"]


@pytest.mark.django_db
def test_minimal_and_ndjson(client: Any, directory: Any) -> None:
    body = get(client, "services", minimal="true", lang="en").json()
    assert_page(body, "compiled/service_list.json")
    assert body["total_items"] == 3
    assert body["contents"][0]["name"] == "Psychological support"
    for item in body["contents"]:
        assert set(item) == {"id", "name", "status", "last_modified"}
        uuid.UUID(item["id"])
        assert datetime.fromisoformat(item["last_modified"]).tzinfo is not None
    response = get(client, "services", format="ndjson")
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 3
    for line in lines:
        assert_valid(json.loads(line), "compiled/service_list.json")


# --- Organizations, service_at_locations, taxonomies -------------------------------------


@pytest.mark.django_db
def test_organizations(client: Any, world: Any, directory: Any) -> None:
    body = get(client, "organizations").json()
    assert_page(body, "compiled/organization_list.json")
    assert [o["name"] for o in body["contents"]] == ["CARE Perú", "GTRM Perú", "HIAS Perú"]
    care = body["contents"][0]
    assert care["alternate_name"] == "CARE" and care["description"] == "CARE Perú"
    assert care["website"] == "https://www.care.org.pe"
    assert [
        o["name"] for o in get(client, "organizations", search="peru hias").json()["contents"]
    ] == ["HIAS Perú"]
    body = get(client, "organizations", full="true").json()
    assert_page(body, "compiled/organization.json")
    body = get(client, "organization", world.care.uuid).json()
    assert_valid(body, "compiled/organization.json")
    assert [s["name"] for s in body["services"]] == ["Apoyo psicológico", "Asesoría legal"]
    assert "phones" not in body["services"][0]
    assert [loc["name"] for loc in body["locations"]] == ["Sede Apoyo psicológico"]
    body = get(client, "organization", world.care.uuid, full_service="true").json()
    assert_valid(body, "compiled/organization.json")
    assert body["services"][0]["phones"]


@pytest.mark.django_db
def test_service_at_locations(client: Any, world: Any, directory: Any) -> None:
    body = get(client, "service_at_locations").json()
    assert_page(body, "compiled/service_at_location_list.json")
    assert body["total_items"] == 1  # the draft's location is not published
    (link,) = body["contents"]
    assert link["service"]["name"] == "Apoyo psicológico"
    assert link["location"]["name"] == "Sede Apoyo psicológico"
    body = get(client, "service_at_locations", full="true").json()
    assert_page(body, "compiled/service_at_location.json")
    detail = get(client, "service_at_location", link["id"]).json()
    assert_valid(detail, "compiled/service_at_location.json")
    assert detail["service"]["phones"] and detail["location"]["addresses"]
    for params in (
        {"search": "psicologico"},
        {"organization_id": world.care.uuid},
        {"taxonomy_term_id": TaxonomyTerm.objects.get(code="women").uuid},
        {"postcode": "15001", "proximity": "1000"},  # accepted and ignored
    ):
        assert get(client, "service_at_locations", **params).json()["total_items"] == 1
    assert get(client, "service_at_locations", organization_id=world.hias.uuid).json()["empty"]


@pytest.mark.django_db
def test_taxonomies_and_terms(client: Any) -> None:
    body = get(client, "taxonomies", per_page=100).json()
    assert_page(body, "taxonomy.json")
    codes = {t["name"] for t in body["contents"]}
    assert {"Necesidad / sector", "Perfil de población", "Modalidad de atención"} <= codes
    assert body["total_items"] == Taxonomy.objects.count() + len(VIRTUAL_TAXONOMIES)
    sector = Taxonomy.objects.get(code="sector")
    assert_valid(get(client, "taxonomy", sector.uuid).json(), "taxonomy.json")
    modality = VIRTUAL_TAXONOMIES["ruta_modality"]
    assert uuid.uuid5(NAMESPACE, "taxonomy:ruta_modality") == modality.uuid
    assert get(client, "taxonomy", modality.uuid).json()["name"] == "Modalidad de atención"

    body = get(client, "taxonomy_terms", taxonomy_id=sector.uuid, per_page=100).json()
    assert_page(body, "taxonomy_term.json")
    assert body["total_items"] == sector.terms.count()
    assert all(t["taxonomy_id"] == str(sector.uuid) for t in body["contents"])
    term = TaxonomyTerm.objects.get(code="women")
    detail = get(client, "taxonomy_term", term.uuid).json()
    assert_valid(detail, "taxonomy_term.json")
    assert (detail["code"], detail["name"], detail["taxonomy"]) == (
        "women",
        "Mujeres",
        "population",
    )
    assert get(client, "taxonomy_terms", search="mujer").json()["total_items"] == 1
    body = get(client, "taxonomy_terms", taxonomy_id=modality.uuid).json()
    assert {t["code"] for t in body["contents"]} == {"in_person", "by_phone", "online", "outreach"}
    child = TaxonomyTerm.objects.create(
        taxonomy=term.taxonomy,
        code="pregnant",
        name_es="Gestantes",
        name_en="Pregnant",
        parent=term,
    )
    body = get(client, "taxonomy_terms", parent_id=term.uuid).json()
    assert [t["id"] for t in body["contents"]] == [str(child.uuid)]
    assert body["contents"][0]["parent_id"] == str(term.uuid)
    top = get(client, "taxonomy_terms", top_only="true", per_page=500).json()
    assert str(child.uuid) not in {t["id"] for t in top["contents"]}
    assert top["total_items"] == TaxonomyTerm.objects.count() - 1 + 10


# --- No N+1 ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_query_counts_are_fixed(
    client: Any, world: Any, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.RUTA_PUBLIC_PAGE_CACHE = False  # the view's own queries, not its kept page
    for number in range(30):
        rich_service(world, f"Servicio {number:02d}")
    # What the import received (mapping.kept) is one prefetch per owner kind.
    with django_assert_max_num_queries(4):
        body = get(client, "services", per_page=50).json()
    assert body["size"] == 30
    with django_assert_max_num_queries(2):
        body = get(client, "services", minimal="true").json()
    assert body["size"] == 30
    with django_assert_max_num_queries(10):
        body = get(client, "services", per_page=50, full="true").json()
    assert body["size"] == 30 and all(s["phones"] for s in body["contents"])
    with django_assert_max_num_queries(11):
        body = get(client, "service_at_locations", per_page=50, full="true").json()
    assert body["size"] == 30
    with django_assert_max_num_queries(14):
        body = get(client, "organizations", full_service="true").json()
    assert sum(len(o["services"]) for o in body["contents"]) == 30
    with django_assert_max_num_queries(3):
        get(client, "taxonomy_terms", per_page=100)
    with django_assert_max_num_queries(10):
        assert get(client, "service", Service.objects.first().uuid).status_code == 200


@pytest.mark.django_db
def test_a_repeated_answer_comes_from_the_cache_and_a_change_shows_next(
    client: Any, world: Any
) -> None:
    with override_settings(CACHES=WITH_OWN_PAGE_CACHE):
        service = rich_service(world, "Servicio")
        first = get(client, "services").json()
        with CaptureQueriesContext(connection) as warm:
            assert get(client, "services").json() == first
        assert len(warm) == 1
        Service.objects.filter(pk=service.pk).update(name_es="Servicio renombrado")
        assert get(client, "services").json()["contents"][0]["name"] == "Servicio renombrado"


@pytest.mark.django_db
@pytest.mark.parametrize("offset", ["+23:59", "-23:59", "+16:00"])
def test_modified_after_takes_every_iso_offset(client: Any, world: Any, offset: str) -> None:
    """ISO 8601 allows offsets to ±23:59; PostgreSQL stores only ±15:59: compared in UTC."""
    make_service(world.care, "Apoyo")
    response = get(client, "services", modified_after=f"2020-01-01T00:00:00{offset}")
    assert response.status_code == 200
    assert response.json()["total_items"] == 1
    far = get(client, "services", modified_after=f"9999-12-31T23:00:00{offset}")
    assert far.status_code == 200
