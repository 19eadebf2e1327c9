"""My exports (the list and the download) and asking for the audit log's CSV.

Downloads: the owner only (404 for anyone else), audited, never cached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ruta.audit.actions import record
from ruta.exports import access, actions, audit_csv, registry
from ruta.exports.models import ExportStatus
from ruta.lib.pagination import paginate
from ruta.lib.permissions import Cap, capability_required, login_only

LIST = "exports:list"


@login_only
@require_GET
def list_view(request: AuthenticatedRequest) -> HttpResponse:
    page = paginate(request, access.own_exports(request.user), per_page=30)
    rows = [
        {
            "export": export,
            "label": registry.label(export.kind),
            "expired": actions.is_expired(export),
        }
        for export in page.object_list
    ]
    waiting = any(row["export"].status == ExportStatus.WAITING for row in rows)
    response = render(
        request,
        "exports/list.html",
        {"page": page, "rows": rows, "waiting": waiting, "days": actions.export_days()},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_only
@require_GET
def download_view(request: AuthenticatedRequest, export_uuid: UUID) -> HttpResponse:
    export = access.get_own_export(request.user, export_uuid)
    try:
        content = actions.download(export, request=request)
    except actions.ExportUnavailable:
        if export.status == ExportStatus.WAITING:
            messages.info(request, _("This export is still being prepared."))
        else:
            messages.error(request, _("This export is no longer available."))
        return redirect(LIST)
    response = HttpResponse(content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    response["Cache-Control"] = "no-store"
    return response


def requested(request: AuthenticatedRequest) -> HttpResponse:
    """Where every export request lands: My exports, with a word on what happens next."""
    messages.success(
        request,
        _(
            "Your export is being prepared. It will be listed under My exports, encrypted, "
            "for %(days)s days."
        )
        % {"days": actions.export_days()},
    )
    return redirect(LIST)


@capability_required(Cap.VIEW_AUDIT_LOG)
@require_POST
def audit_csv_view(request: AuthenticatedRequest) -> HttpResponse:
    filters = audit_csv.filters_of(request.POST)
    record("audit.exported", request=request, details={"filters": filters})
    actions.request_export(request.user, audit_csv.KIND, {"filters": filters}, request=request)
    return requested(request)
