"""URL arguments for the staff directory editor's routes (see test_route_permissions)."""

from __future__ import annotations

from typing import Any

from ruta.directory.models import EverydayWord, Location, Service, Taxonomy, TaxonomyTerm
from ruta.directory.tests.factories import make_service

EXAMPLE_NAME = "Servicio de ejemplo para el editor"


def examples(world: Any) -> dict[str, dict[str, Any]]:
    service = Service.objects.filter(name_es=EXAMPLE_NAME, organization=world.care).first()
    if service is None:
        service = make_service(world.care, EXAMPLE_NAME, area="PE-LMA")
    location = Location.objects.filter(organization=world.care).order_by("pk").first()
    target = {"service_uuid": service.uuid}
    return {
        "directory:service_detail": {"kwargs": target},
        "directory:service_edit": {"kwargs": target},
        "directory:service_verify": {"kwargs": target, "method": "post"},
        "directory:service_status": {
            "kwargs": target,
            "method": "post",
            "data": {"status": "active"},
        },
        "directory:location_edit": {"kwargs": {"location_uuid": location.uuid}},
        "directory:term_create": {
            "kwargs": {"taxonomy_uuid": Taxonomy.objects.get(code="sector").uuid}
        },
        "directory:term_edit": {
            "kwargs": {"term_uuid": TaxonomyTerm.objects.get(code="legal").uuid}
        },
        "directory:everyday_word_edit": {
            "kwargs": {"word_uuid": EverydayWord.objects.get(folded="me pegan").uuid}
        },
    }
