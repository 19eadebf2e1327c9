"""Coordinators import a gazetteer CSV: upload, review the check, import for real; and
the areas' outlines from a GeoJSON file (checked, then imported in one step).

The uploaded file is kept in the session (never on disk) between the check and the
confirmation; both re-run the whole check against the areas stored at that moment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

import base64
import hashlib
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ruta.lib.permissions import Cap, capability_required
from ruta.places import boundaries, gazetteer
from ruta.places.forms import BoundaryForm, GazetteerForm
from ruta.places.models import Boundary

SESSION_KEY = "directory_gazetteer_upload"  # the name it had in the directory


def _stored(request: HttpRequest) -> tuple[str, bytes, str] | None:
    """The name, content and fingerprint of the file this session uploaded, if any."""
    upload: Any = request.session.get(SESSION_KEY)
    if not isinstance(upload, dict):
        return None
    try:
        data = base64.b64decode(upload["data"])
    except (KeyError, ValueError, TypeError):
        return None
    return str(upload.get("name", "")), data, hashlib.sha256(data).hexdigest()


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def upload_view(request: AuthenticatedRequest) -> HttpResponse:
    form = GazetteerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        request.session[SESSION_KEY] = {
            "name": (upload.name or "gazetteer.csv")[:200],
            "data": base64.b64encode(upload.read()).decode("ascii"),
        }
        return redirect("gazetteer:review")
    return render(request, "places/gazetteer/upload.html", {"form": form})


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET"])
def review_view(request: AuthenticatedRequest) -> HttpResponse:
    stored = _stored(request)
    if stored is None:
        return redirect("gazetteer:upload")
    name, data, fingerprint = stored
    result = gazetteer.run_import(data, name, dry_run=True)
    if not result.valid:
        # A rejected file is not kept: the coordinator fixes it and uploads it again.
        del request.session[SESSION_KEY]
    context = {
        "name": name,
        "result": result,
        "counts": gazetteer.count_labels(result.counts, done=False),
        "fingerprint": fingerprint,
    }
    return render(request, "places/gazetteer/review.html", context)


@capability_required(Cap.MANAGE_DIRECTORY)
@require_POST
def confirm_view(request: AuthenticatedRequest) -> HttpResponse:
    stored = _stored(request)
    if stored is None or stored[2] != request.POST.get("fingerprint"):
        messages.error(request, _("Upload the file again: the one checked is no longer here."))
        return redirect("gazetteer:upload")
    name, data, _fingerprint = stored
    result = gazetteer.run_import(data, name, dry_run=False, actor=request.user, request=request)
    if not result.valid:
        messages.error(request, _("The file no longer passes the check. Nothing was written."))
        return redirect("gazetteer:review")
    del request.session[SESSION_KEY]
    summary = ", ".join(
        f"{label}: {value}" for label, value in gazetteer.count_labels(result.counts, done=True)
    )
    messages.success(request, _("The gazetteer was imported. %(summary)s.") % {"summary": summary})
    return redirect("gazetteer:upload")


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def boundaries_view(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a GeoJSON file of outlines: checked as a whole, written only when every
    feature is valid and the coordinator did not ask for a check only."""
    form = BoundaryForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = bool(form.cleaned_data["check_only"])
        result = boundaries.run_import(
            upload.read(),
            (upload.name or "boundaries.geojson")[:200],
            code_property=form.cleaned_data["code_property"],
            dry_run=dry_run,
            actor=request.user,
            request=request,
        )
        if result.valid and not dry_run:
            summary = ", ".join(
                f"{label}: {value}"
                for label, value in boundaries.count_labels(result.counts, done=True)
            )
            messages.success(
                request, _("The outlines were imported. %(summary)s.") % {"summary": summary}
            )
            return redirect("gazetteer:boundaries")
    context = {
        "form": form,
        "result": result,
        "counts": boundaries.count_labels(result.counts, done=False) if result else [],
        "stored": Boundary.objects.select_related("area")
        .defer("geometry")
        .order_by("area__country", "area__code"),
    }
    return render(request, "places/gazetteer/boundaries.html", context)
