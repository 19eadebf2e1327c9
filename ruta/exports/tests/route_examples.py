"""URL arguments for My exports (see test_route_permissions): a case list that
supervisor.care asked for; anyone else who asks for it gets 404."""

from __future__ import annotations

from typing import Any

from ruta.exports.actions import request_export
from ruta.exports.models import SecureExport


def examples(world: Any) -> dict[str, dict[str, Any]]:
    owner = world.user("supervisor.care")
    export = SecureExport.objects.filter(owner=owner, kind="case_list").first()
    if export is None:
        export = request_export(owner, "case_list", {"format": "csv"})
    return {
        "exports:download": {"kwargs": {"export_uuid": export.uuid}},
        "exports:audit_csv": {"method": "post", "data": {"action": "auth."}},
    }
