from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from ruta.audit.actions import record
from ruta.audit.filters import AuditEventFilter
from ruta.audit.models import AuditEvent
from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, capability_required
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
]


def _filtered(request: HttpRequest) -> AuditEventFilter:
    queryset = AuditEvent.objects.select_related("organization")
    return AuditEventFilter(request.GET or None, queryset=queryset)


@capability_required(Cap.VIEW_AUDIT_LOG)
def event_list_view(request: HttpRequest) -> HttpResponse:
    events = _filtered(request)
    return render(
        request,
        "audit/event_list.html",
        {
            "filter": events,
            "page": paginate(request, events.qs, per_page=100),
            "query": querystring_without_page(request),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(events: Any) -> Any:
    yield CSV_COLUMNS
    for event in events.iterator(chunk_size=2000):
        yield safe_row(
            [
                event.occurred_at.isoformat(),
                event.action,
                event.actor_email,
                event.organization.acronym or event.organization.name if event.organization else "",
                event.object_type,
                str(event.object_uuid or ""),
                event.ip_address or "",
                event.user_agent,
                _json(event.details),
            ]
        )


def _json(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@capability_required(Cap.VIEW_AUDIT_LOG)
def event_export_view(request: HttpRequest) -> StreamingHttpResponse:
    events = _filtered(request).qs
    record("audit.exported", request=request, details={"filters": dict(request.GET.items())})
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _rows(events)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="ruta-audit-{stamp}.csv"'
    return response
