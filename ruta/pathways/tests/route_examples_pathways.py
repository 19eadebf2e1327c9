"""URL arguments for the referral pathway routes (see ruta/core/tests/test_route_permissions)."""

from __future__ import annotations

from typing import Any

from ruta.pathways.models import Pathway, PathwayStatus

EXAMPLE_TITLE = "Ruta de ejemplo para permisos"


def examples(world: Any) -> dict[str, dict[str, Any]]:
    pathway = Pathway.objects.filter(title_es=EXAMPLE_TITLE).first()
    if pathway is None:
        pathway = Pathway.objects.create(
            title_es=EXAMPLE_TITLE, theme="gbv", status=PathwayStatus.PUBLISHED
        )
        pathway.organizations.add(world.care)
    target = {"pathway_uuid": pathway.uuid}
    care, hias = str(world.care.uuid), str(world.hias.uuid)
    return {
        "pathways:detail": {"kwargs": target},
        "pathways:xlsx": {"kwargs": target},
        "pathways:pdf": {"kwargs": target},
        "pathways:edit": {"kwargs": target},
        "pathways:cell": {
            "kwargs": target,
            "method": "post",
            "data": {"organization": care, "profile": "women", "role": "1"},
        },
        "pathways:add_row": {"kwargs": target, "method": "post", "data": {"organization": hias}},
        "pathways:remove_row": {
            "kwargs": target,
            "method": "post",
            "data": {"organization": care},
        },
        "pathways:status": {
            "kwargs": target,
            "method": "post",
            "data": {"status": PathwayStatus.PUBLISHED},
        },
        "pathways:verify": {"kwargs": target, "method": "post"},
    }
