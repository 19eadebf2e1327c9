from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ruta.audit.export import filtered_events
from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, capability_required


@capability_required(Cap.VIEW_AUDIT_LOG)
def event_list_view(request: HttpRequest) -> HttpResponse:
    events = filtered_events(request.GET)
    return render(
        request,
        "audit/event_list.html",
        {
            "filter": events,
            "page": paginate(request, events.qs, per_page=100),
            "query": querystring_without_page(request),
            # The CSV is made in the background as an encrypted, expiring file (exports).
            "filters": [(name, value) for name, value in request.GET.items() if name != "page"],
        },
    )
