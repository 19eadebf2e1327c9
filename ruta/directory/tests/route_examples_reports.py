"""URL arguments for the reports and directory API routes (see test_route_permissions)."""

from __future__ import annotations

from typing import Any

from ruta.directory.models import Service, TaxonomyTerm
from ruta.directory.tests.factories import make_service
from ruta.places.models import AdminArea

EXAMPLE_NAME = "Servicio de ejemplo para informes"


def examples(world: Any) -> dict[str, dict[str, Any]]:
    service = (
        Service.objects.filter(name_es=EXAMPLE_NAME, organization=world.care)
        .prefetch_related("service_at_locations__location")
        .first()
    )
    if service is None:
        service = make_service(world.care, EXAMPLE_NAME, area="PE-TUM")
    location = service.service_at_locations.all()[0].location
    return {
        "directory_api:service-detail": {"kwargs": {"uuid": service.uuid}},
        "directory_api:location-detail": {"kwargs": {"uuid": location.uuid}},
        "directory_api:taxonomy-term-detail": {
            "kwargs": {"uuid": TaxonomyTerm.objects.get(code="women").uuid}
        },
        "directory_api:admin-area-detail": {
            "kwargs": {"code": AdminArea.objects.get(code="PE-TUM").code}
        },
        # One region, not the whole country's 4,000 rows (0.8 s a request, in every role).
        "reports:coverage_long_csv": {"query": "admin1=PE-TUM"},
        "reports:coverage_long_xlsx": {"query": "admin1=PE-TUM"},
    }
