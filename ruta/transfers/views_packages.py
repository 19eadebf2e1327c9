"""Pages of transfers between installations: export a case as a package, import one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ruta.cases.access import audit_case_read, get_case
from ruta.lib.permissions import Cap, capability_required
from ruta.transfers import exchange
from ruta.transfers.actions import IllegalTransition, TransferError
from ruta.transfers.forms import ExportForm, ImportForm
from ruta.transfers.models import InstallationKey, PeerInstallation
from ruta.transfers.packages import PackageError
from ruta.ui.forms import error_summary

GET_POST = require_http_methods(["GET", "POST"])


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def export_view(request: HttpRequest, case_uuid: UUID) -> HttpResponse:
    user: Any = request.user
    case = get_case(user, case_uuid)
    data = request.POST if request.method == "POST" else None
    form = ExportForm(data, organization_id=case.organization_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            content, header = exchange.export_case(
                user,
                case,
                cleaned["peer"],
                partner_organization=cleaned["partner_organization"],
                days=cleaned["expires_in_days"],
            )
        except TransferError as error:
            form.add_error(None, str(error))
            status = 409 if isinstance(error, IllegalTransition) else 200
        else:
            response = HttpResponse(content, content_type="application/json")
            name = f"{case.code}-{header['package_id'][:8]}.rutapkg"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    elif request.method == "GET":
        audit_case_read(request, case, what="transfer_package")
    return render(
        request,
        "transfers/export_form.html",
        {
            "case": case,
            "form": form,
            "errors": error_summary(form),
            "has_key": InstallationKey.objects.filter(active=True).exists(),
            "has_peers": PeerInstallation.objects.filter(active=True).exists(),
        },
        status=status,
    )


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def import_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ImportForm(data, files, organization_id=user.organization_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = exchange.import_package(
                user, form.cleaned_data["package"], form.cleaned_data["caseworker"]
            )
        except (PackageError, TransferError) as error:
            form.add_error("package", str(error))
            status = 400
        else:
            messages.success(
                request,
                _("The package was verified and case %(code)s is open in your agency.")
                % {"code": case.code},
            )
            return redirect(reverse("cases:case_detail", kwargs={"case_uuid": case.uuid}))
    return render(
        request,
        "transfers/import_form.html",
        {"form": form, "errors": error_summary(form)},
        status=status,
    )
