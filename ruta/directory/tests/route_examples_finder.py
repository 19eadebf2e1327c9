"""URL arguments for the public finder's routes (see ruta/core/tests/test_route_permissions)."""

from __future__ import annotations

from typing import Any

from ruta.directory.models import Service
from ruta.directory.tests.factories import make_service

EXAMPLE_NAME = "Servicio de ejemplo para rutas"


def examples(world: Any) -> dict[str, dict[str, Any]]:
    service = Service.objects.filter(name_es=EXAMPLE_NAME, organization=world.care).first()
    if service is None:
        service = make_service(world.care, EXAMPLE_NAME)
    return {"finder:service_detail": {"kwargs": {"service_uuid": service.uuid}}}
