"""Case data out of Ruta, only as secure exports (``ruta.exports``): the supervisor's case
list and the survivor's own record (PDF with a password shown once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from ruta.audit.actions import record
from ruta.cases import secure_exports, survivor_record
from ruta.cases.access import audit_case_read, can_supervise, get_case
from ruta.cases.forms_exports import CaseListExportForm, RecordExportForm
from ruta.exports.actions import request_export
from ruta.exports.views import requested
from ruta.lib.permissions import Cap, capability_required
from ruta.ui.forms import error_summary

RECORD_EXPORTED = "case.record_exported"


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def case_list_export_view(request: AuthenticatedRequest) -> HttpResponse:
    form = CaseListExportForm(request.POST)
    chosen = form.cleaned_data["format"] if form.is_valid() else "csv"
    request_export(request.user, secure_exports.CASE_LIST, {"format": chosen}, request=request)
    return requested(request)


@capability_required(Cap.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def record_export_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    case = get_case(request.user, case_uuid)
    if not can_supervise(request.user, case):
        raise Http404
    if request.method == "POST":
        form = RecordExportForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            password = survivor_record.new_password()
            export = request_export(
                request.user,
                survivor_record.KIND,
                {"case": str(case.uuid), "language": language, "password": password},
                request=request,
                language=language,
            )
            record(
                RECORD_EXPORTED,
                request=request,
                obj=case,
                organization=case.organization,
                details={"what": survivor_record.KIND},
            )
            # The one time the password is shown: never in a message, a log or the trail.
            response = render(
                request,
                "cases/record_export_done.html",
                {"case": case, "password": password, "export": export},
            )
            response["Cache-Control"] = "no-store"
            return response
    else:
        form = RecordExportForm(initial={"language": survivor_record.default_language(case)})
    audit_case_read(request, case, what="record_export")
    return render(
        request,
        "cases/record_export.html",
        {"case": case, "form": form, "errors": error_summary(form)},
    )
