"""URL arguments for the HSDS API and import routes (see core/tests/test_route_permissions)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from ruta.directory.models import ImportJob, ImportStatus, Taxonomy, TaxonomyTerm
from ruta.directory.tests.factories import make_service


def examples(world: Any) -> dict[str, dict[str, Any]]:
    service = make_service(world.care, "Servicio publicado", area="PE-TUM")
    link = service.service_at_locations.get()
    job = ImportJob.objects.create(
        created_by=world.user("coordinator"),
        file=ContentFile(b"[]", name="empty.json"),
        original_name="empty.json",
        status=ImportStatus.VALID,
    )
    return {
        "hsds:service": {"kwargs": {"id": service.uuid}},
        "hsds:organization": {"kwargs": {"id": world.care.uuid}},
        "hsds:service_at_location": {"kwargs": {"id": link.uuid}},
        "hsds:taxonomy": {"kwargs": {"id": Taxonomy.objects.first().uuid}},  # type: ignore[union-attr]
        "hsds:taxonomy_term": {"kwargs": {"id": TaxonomyTerm.objects.first().uuid}},  # type: ignore[union-attr]
        "hsds_import:detail": {"kwargs": {"job_uuid": job.uuid}},
        "hsds_import:confirm": {"kwargs": {"job_uuid": job.uuid}, "method": "post"},
    }
