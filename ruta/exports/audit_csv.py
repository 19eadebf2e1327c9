"""The audit trail's CSV as an export (the audit app sits below exports: it is made here).

Platform administrators ask for it on the log page with its filters; the file is made in
the background, encrypted, and waits under "My exports".
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.audit.export import events_csv
from ruta.exports import registry
from ruta.exports.models import SecureExport
from ruta.exports.registry import Produced, Producer
from ruta.lib.permissions import Cap

KIND = "audit_csv"
FILTERS = ("actor", "action", "object_type", "object_uuid", "since", "until", "organization")


def filters_of(data: Any) -> dict[str, str]:
    """The log page's filters from a request's data (nothing else is kept)."""
    return {name: str(data.get(name)) for name in FILTERS if data.get(name)}


def produce(export: SecureExport, params: dict[str, Any]) -> Produced:
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return Produced(
        content=events_csv(params.get("filters") or {}),
        filename=f"ruta-audit-{stamp}.csv",
        content_type="text/csv; charset=utf-8",
    )


PRODUCER = Producer(
    kind=KIND, label=_("Audit log (CSV)"), produce=produce, capability=Cap.VIEW_AUDIT_LOG
)


def register() -> None:
    registry.register(PRODUCER)
