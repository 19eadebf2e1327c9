"""Ruta's HSDS API against Open Referral's own HSDS 3.0 ``openapi.json``, by schemathesis.

Every operation of the official file, served by pytest-django's live server over real
HTTP (so status codes, content types and headers are what a client sees, through the
whole middleware stack), on a seeded directory whose ids the official file is given as
examples. Every schemathesis check runs; the test fails on any server error, any response
that does not match the official schema, or any other failed check, except for the few
waivers below, each where the official file is incomplete.

The vendored file is not edited: ``hsds_openapi`` points its remote ``$ref`` at the
vendored schemas and its ``servers`` at the live server's ``/api/hsds``, in memory.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from ruta.agencies.models import Organization
from ruta.directory.models import Service, Taxonomy, TaxonomyTerm
from ruta.directory.tests.factories import make_service
from ruta.hsds.tests.hsds_openapi import SCHEMA_DIR, official_openapi
from ruta.hsds.tests.test_hsds_api import assert_valid, rich_service

# Bounded, reproducible: the examples, then the coverage phase's edge values (boundaries,
# wrong types, missing values, unexpected methods), then a few random cases an operation.
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261206,
        "generation": {"max-examples": 12, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},  # the official file has no links
    }
)
# pytest-django's live server picks its port at run time: every call names its URL.
PLACEHOLDER = "http://live-server.invalid"
# Query parameters that the official file types as any string but that Ruta reads more
# strictly, answering 400 {"message": "<name> must be ..."} to a value it cannot use:
# HSDS ids are UUIDs in every HSDS schema ("format": "uuid"); modified_after's format is
# "datetime", a name JSON Schema does not know (the intent is "date-time"); and format
# only says "Default is json. Could be ndjson", without an enum.
STRICTER_STRINGS = (
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "parent_id",
    "modified_after",
    "format",
)


# The seeded objects get these ids, so that the schema, loaded at import, can name them.
IDS = {
    "/services/{id}": "0d1c9c1e-5b1f-4c39-9d6a-6f0e6a3c1001",
    "/organizations/{id}": "0d1c9c1e-5b1f-4c39-9d6a-6f0e6a3c1002",
    "/service_at_locations/{id}": "0d1c9c1e-5b1f-4c39-9d6a-6f0e6a3c1003",
    "/taxonomies/{id}": "0d1c9c1e-5b1f-4c39-9d6a-6f0e6a3c1004",
    "/taxonomy_terms/{id}": "0d1c9c1e-5b1f-4c39-9d6a-6f0e6a3c1005",
}


def official_with_examples() -> dict[str, Any]:
    """The official document, offline, with the seeded ids as examples of every id."""
    document = official_openapi(base_url=f"{PLACEHOLDER}/api/hsds")
    for path, key in IDS.items():
        (parameter,) = document["paths"][path]["parameters"]
        parameter["example"] = key
    parameters = document["components"]["parameters"]
    parameters["taxonomy_term_id"]["example"] = IDS["/taxonomy_terms/{id}"]
    parameters["taxonomy_id"]["example"] = IDS["/taxonomies/{id}"]
    parameters["organization_id"]["example"] = IDS["/organizations/{id}"]
    parameters["modified_after"]["example"] = "2020-01-01T00:00:00Z"
    # Examples are taken in step: a page far past the last in JSON, then the ndjson stream.
    parameters["page"]["examples"] = {
        "past the last page": {"value": 184467440737095518},  # once an SQL OFFSET overflow
        "first page": {"value": 1},
    }
    parameters["format"]["examples"] = {"json": {"value": "json"}, "ndjson": {"value": "ndjson"}}
    return document


@pytest.fixture
def hsds_url(live: Any, world: Any) -> str:
    """The live server's /api/hsds, over a published directory holding the ``IDS``."""
    rich = rich_service(world)
    make_service(world.hias, "Línea 24 horas", open_24_7=True, by_phone=True)
    make_service(world.care, "Asesoría legal", terms=("legal",))
    make_service(world.care, "Borrador secreto", status="draft")
    term = TaxonomyTerm.objects.get(code="women")
    Service.objects.filter(pk=rich.pk).update(uuid=IDS["/services/{id}"])
    Organization.objects.filter(pk=world.care.pk).update(uuid=IDS["/organizations/{id}"])
    rich.service_at_locations.update(uuid=IDS["/service_at_locations/{id}"])
    Taxonomy.objects.filter(pk=term.taxonomy_id).update(uuid=IDS["/taxonomies/{id}"])
    TaxonomyTerm.objects.filter(pk=term.pk).update(uuid=IDS["/taxonomy_terms/{id}"])
    return f"{live.url}/api/hsds"


def waived_checks(case: Any, response: Any) -> list[Any]:
    """The checks that do not apply to this one answer, because the official file is silent.

    HSDS 3.0's openapi.json documents a 200 answer and nothing else for every operation.
    """
    path = case.operation.path
    status = response.status_code
    if path in IDS and status == 404:
        # An id that names nothing published has no 200 answer; 404 {"message"} is what
        # any HTTP API answers. The seeded ids must be found (asserted in the test).
        assert case.path_parameters["id"] not in IDS.values(), response.text
        return [checks.status_code_conformance]
    if status == 400:
        message = response.json()["message"]
        if case.meta.generation.mode.is_negative:
            # A request the official file calls invalid: rejected with 400 {"message"},
            # which negative_data_rejection asks for and the file does not document.
            return [checks.status_code_conformance]
        blamed = [name for name in STRICTER_STRINGS if message.startswith(f"{name} ")]
        assert blamed and all(case.query.get(name) for name in blamed), message
        return [checks.status_code_conformance, checks.positive_data_acceptance]
    if status == 200 and case.query and case.query.get("format") == "ndjson":
        # "Could be `ndjson` which should stream all the results without pagination": a
        # stream of application/x-ndjson lines that the file, documenting a JSON Page
        # alone, cannot describe. Each line is checked against the Page's item schema.
        return [checks.content_type_conformance, checks.response_schema_conformance]
    if path == "/service_at_locations/{id}" and status == 200:
        # The official file names compiled/service.json here (a copy-paste slip: a
        # service_at_location has no name or status); checked against
        # compiled/service_at_location.json in the test instead.
        return [checks.response_schema_conformance]
    return []


schema = schemathesis.openapi.from_dict(official_with_examples(), config=CONFIG)


@schema.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_hsds_api_conforms_to_the_official_openapi(case: Any, hsds_url: str) -> None:
    response = case.call(base_url=hsds_url)
    case.validate_response(
        response,
        excluded_checks=waived_checks(case, response),
        transport_kwargs={"base_url": hsds_url},
    )
    if case.method != "GET" or not case.meta.generation.mode.is_positive:
        return  # unexpected methods and invalid requests: the checks above suffice
    if (case.path_parameters or {}).get("id") in IDS.values():
        assert response.status_code == 200, response.text
    if case.operation.path == "/service_at_locations/{id}" and response.status_code == 200:
        assert_valid(response.json(), "compiled/service_at_location.json")
    if (case.query or {}).get("format") == "ndjson" and response.status_code == 200:
        assert response.headers["content-type"] == ["application/x-ndjson; charset=utf-8"]
        item = case.operation.definition.raw["responses"]["200"]["content"]["application/json"]
        ref = item["schema"]["properties"]["contents"]["items"]["$ref"]  # made local
        name = ref.removeprefix(SCHEMA_DIR.as_uri() + "/")
        lines = response.text.splitlines()
        assert lines
        for line in lines:
            assert_valid(json.loads(line), name, exact=False)
