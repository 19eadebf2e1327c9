"""Coordinators import HSDS files: upload, follow the check, import for real."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from ruta.directory.actions import DirectoryError
from ruta.hsds import jobs
from ruta.hsds.forms import ImportForm
from ruta.lib.permissions import Cap, capability_required


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def upload_view(request: AuthenticatedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start_import(
            request.user,
            form.cleaned_data["file"],
            dry_run=form.dry_run,
            language=get_language() or "es",
            request=request,
        )
        return redirect("hsds_import:detail", job_uuid=job.uuid)
    recent = jobs.visible_jobs(request.user)[:20]
    return render(request, "hsds/imports/upload.html", {"form": form, "jobs": recent})


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET"])
def detail_view(request: AuthenticatedRequest, job_uuid: str) -> HttpResponse:
    job = jobs.get_visible_job(request.user, job_uuid)
    context = {"job": job, "finished": job.status in jobs.FINISHED, "report": job.report or {}}
    if getattr(request, "htmx", False):
        return render(request, "hsds/imports/_status.html", context)
    return render(request, "hsds/imports/detail.html", context)


@capability_required(Cap.MANAGE_DIRECTORY)
@require_POST
def confirm_view(request: AuthenticatedRequest, job_uuid: str) -> HttpResponse:
    job = jobs.get_visible_job(request.user, job_uuid)
    try:
        confirmed = jobs.confirm_import(
            request.user, job, language=get_language() or "es", request=request
        )
    except DirectoryError as error:
        messages.error(request, str(error))
        return redirect("hsds_import:detail", job_uuid=job.uuid)
    return redirect("hsds_import:detail", job_uuid=confirmed.uuid)
