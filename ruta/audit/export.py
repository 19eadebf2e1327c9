"""The audit trail as CSV (made by the exports app in the background, see
``ruta/exports/audit_csv.py``): one row per event, every cell safe for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from ruta.audit.filters import AuditEventFilter
from ruta.audit.models import AuditEvent
from ruta.lib.sheets import safe_row

CSV_COLUMNS = [
    "time",
    "action",
    "actor_email",
    "organization",
    "object_type",
    "object_uuid",
    "ip_address",
    "user_agent",
    "details",
    "on_behalf_of_email",
]


def filtered_events(data: Mapping[str, Any] | None) -> AuditEventFilter:
    queryset = AuditEvent.objects.select_related("organization")
    return AuditEventFilter(data or None, queryset=queryset)


def _rows(events: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    yield CSV_COLUMNS
    for event in events.iterator(chunk_size=2000):
        organization = event.organization
        yield safe_row(
            [
                event.occurred_at.isoformat(),
                event.action,
                event.actor_email,
                (organization.acronym or organization.name) if organization else "",
                event.object_type,
                str(event.object_uuid or ""),
                event.ip_address or "",
                event.user_agent,
                json.dumps(event.details, sort_keys=True, ensure_ascii=False),
                event.on_behalf_of_email,
            ]
        )


def events_csv(filters: Mapping[str, Any] | None) -> bytes:
    """The events the filters (the log page's query) select, as UTF-8 CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _rows(filtered_events(filters).qs):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")
