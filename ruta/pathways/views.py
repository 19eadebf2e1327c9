"""Referral pathways: the list, the matrix page, its in-place editing and its exports.

Reading follows ``access.visible_pathways`` (the public sees published pathways only);
every change needs ``Cap.MANAGE_PATHWAYS`` and goes through ``actions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, capability_required, public, user_can
from ruta.pathways import actions
from ruta.pathways.access import get_editable_pathway, visible_pathways
from ruta.pathways.exports import (
    Cell,
    build_matrix,
    file_name,
    legend,
    local_date,
    matrix_pdf,
    matrix_xlsx,
    place_text,
    scope_text,
)
from ruta.pathways.forms import (
    AddRowForm,
    CellForm,
    PathwayFilterForm,
    PathwayForm,
    RemoveRowForm,
    StatusForm,
)
from ruta.pathways.models import Pathway, PathwayStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _base_template(request: HttpRequest) -> str:
    """Staff keep their navigation; the public gets the page with the quick exit."""
    if request.user.is_authenticated:
        return "base.html"
    try:
        get_template("public_base.html")
    except TemplateDoesNotExist:
        return "base.html"
    return "public_base.html"


def _visible(request: HttpRequest, pathway_uuid: Any) -> Pathway:
    pathways = visible_pathways(request.user).select_related("admin1", "verified_by")
    return get_object_or_404(pathways, uuid=pathway_uuid)


def _editable(request: HttpRequest, pathway_uuid: Any) -> Pathway:
    return get_editable_pathway(request.user, pathway_uuid)


def _detail_url(pathway: Pathway, *, editing: bool = False, anchor: str = "") -> str:
    url = reverse("pathways:detail", kwargs={"pathway_uuid": pathway.uuid})
    if editing:
        url += "?edit=1"
    return f"{url}#{anchor}" if anchor else url


# --- Reading --------------------------------------------------------------------------


@public
@require_GET
def pathway_list_view(request: HttpRequest) -> HttpResponse:
    visible = visible_pathways(request.user)
    form = PathwayFilterForm(request.GET, visible)
    pathways = (
        form.filter(visible)
        .select_related("admin1")
        .annotate(row_count=Count("organizations", distinct=True))
        .order_by("title_es")
    )
    page = paginate(request, pathways, per_page=30)
    items = [
        {
            "pathway": pathway,
            "scope": scope_text(pathway),
            "place": place_text(pathway),
            "verified": local_date(pathway.verified_at),
        }
        for pathway in page
    ]
    return render(
        request,
        "pathways/list.html",
        {
            "base_template": _base_template(request),
            "form": form,
            "page": page,
            "items": items,
            "query": querystring_without_page(request),
            "can_manage": user_can(request.user, Cap.MANAGE_PATHWAYS),
        },
    )


@public
@require_GET
def pathway_detail_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    pathway = _visible(request, pathway_uuid)
    can_manage = user_can(request.user, Cap.MANAGE_PATHWAYS)
    editing = can_manage and request.GET.get("edit") == "1"
    matrix = build_matrix(pathway, request.user, editing=editing)
    context: dict[str, Any] = {
        "base_template": _base_template(request),
        "pathway": pathway,
        "matrix": matrix,
        "legend": legend(),
        "scope": scope_text(pathway),
        "place": place_text(pathway),
        "verified": local_date(pathway.verified_at),
        "stale": pathway.due_for_check,
        "can_manage": can_manage,
        "editing": editing,
        "statuses": [
            (value, label) for value, label in PathwayStatus.choices if value != pathway.status
        ],
    }
    if editing:
        context["add_row_form"] = AddRowForm(pathway=pathway, auto_id="add-row-%s")
    return render(request, "pathways/detail.html", context)


def _export(
    request: HttpRequest, pathway: Pathway, body: bytes, content_type: str, name: str
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if pathway.status != PathwayStatus.PUBLISHED:
        patch_cache_control(response, private=True, no_store=True)
    return response


@public
@require_GET
def pathway_xlsx_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    pathway = _visible(request, pathway_uuid)
    matrix = build_matrix(pathway, request.user, phones=True)
    body = matrix_xlsx(matrix, timezone.now())
    return _export(request, pathway, body, XLSX, file_name(pathway, "xlsx"))


@public
@require_GET
def pathway_pdf_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    pathway = _visible(request, pathway_uuid)
    matrix = build_matrix(pathway, request.user)
    body = matrix_pdf(matrix, timezone.now())
    return _export(request, pathway, body, "application/pdf", file_name(pathway, "pdf"))


# --- Editing the matrix -------------------------------------------------------------


def _cell_response(
    request: HttpRequest,
    pathway: Pathway,
    form: CellForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    organization = form.cleaned_data["organization"]
    profile = form.cleaned_data["profile"]
    matrix = build_matrix(
        pathway, request.user, organizations=[organization], profiles=[profile], editing=True
    )
    row = matrix.rows[0]
    cell: Cell = row.cells[0]
    if error:
        cell.error = error
        cell.typed_role = str(form.field_value("role"))
        cell.typed_services = form.field_value("services")
        announce = error
    elif cell.role:
        announce = _("Saved: %(organization)s, %(profile)s — %(role)s.") % {
            "organization": organization.display_name,
            "profile": profile.name,
            "role": cell.role_label,
        }
    else:
        announce = _("Saved: %(organization)s, %(profile)s — not in the pathway.") % {
            "organization": organization.display_name,
            "profile": profile.name,
        }
    return render(
        request,
        "pathways/_cell.html",
        {"pathway": pathway, "row": row, "cell": cell, "editing": True, "announce": announce},
        status=status,
    )


@capability_required(Cap.MANAGE_PATHWAYS)
@require_POST
def pathway_cell_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    """Set one cell: none, entry point (1) or onward service (2), with its services."""
    pathway = _editable(request, pathway_uuid)
    form = CellForm(request.POST)
    error = "" if form.is_valid() else form.first_error()
    located = {"organization", "profile"} <= set(form.cleaned_data)
    if not error:
        data = form.cleaned_data
        try:
            actions.set_pathway_cell(
                request.user,
                pathway,
                data["organization"],
                data["profile"],
                data["role"],
                data["service_objects"],
                request=request,
            )
        except actions.PathwayError as exc:
            error = str(exc)
    if getattr(request, "htmx", False):
        if located:
            return _cell_response(request, pathway, form, error=error, status=400 if error else 200)
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    anchor = ""
    if "organization" in form.cleaned_data:
        anchor = f"row-{form.cleaned_data['organization'].uuid}"
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The cell was saved."))
    return HttpResponseRedirect(_detail_url(pathway, editing=True, anchor=anchor))


@capability_required(Cap.MANAGE_PATHWAYS)
@require_POST
def pathway_add_row_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    pathway = _editable(request, pathway_uuid)
    form = AddRowForm(request.POST, pathway=pathway)
    if not form.is_valid():
        messages.error(request, str(form.errors["organization"][0]))
        return HttpResponseRedirect(_detail_url(pathway, editing=True, anchor="add-row"))
    organization = form.cleaned_data["organization"]
    try:
        actions.add_pathway_organization(request.user, pathway, organization, request=request)
    except actions.PathwayError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(_detail_url(pathway, editing=True, anchor="add-row"))
    messages.success(
        request,
        _("%(organization)s was added. Mark its cells in the new row.")
        % {"organization": organization.display_name},
    )
    return HttpResponseRedirect(
        _detail_url(pathway, editing=True, anchor=f"row-{organization.uuid}")
    )


@capability_required(Cap.MANAGE_PATHWAYS)
@require_POST
def pathway_remove_row_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    pathway = _editable(request, pathway_uuid)
    form = RemoveRowForm(request.POST)
    if not form.is_valid():
        raise Http404
    organization = get_object_or_404(
        pathway.organizations.all(), uuid=form.cleaned_data["organization"]
    )
    cells = actions.remove_pathway_organization(
        request.user, pathway, organization, request=request
    )
    messages.success(
        request,
        _("%(organization)s was removed from the pathway, with %(cells)d marked cells.")
        % {"organization": organization.display_name, "cells": cells},
    )
    return HttpResponseRedirect(_detail_url(pathway, editing=True, anchor="matrix"))


# --- Pathway metadata and life cycle ------------------------------------------------


def _pathway_form(request: HttpRequest, form: PathwayForm, pathway: Pathway | None) -> HttpResponse:
    return render(
        request,
        "pathways/form.html",
        {"form": form, "pathway": pathway},
        status=400 if form.is_bound and form.errors else 200,
    )


@capability_required(Cap.MANAGE_PATHWAYS)
@require_http_methods(["GET", "POST"])
def pathway_create_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _pathway_form(request, PathwayForm(), None)
    form = PathwayForm(request.POST)
    if not form.is_valid():
        return _pathway_form(request, form, None)
    pathway = actions.save_pathway(
        request.user, form.save(commit=False), changed=form.changed_data, request=request
    )
    messages.success(
        request, _("The pathway was created as a draft. Add organizations and mark the cells.")
    )
    return HttpResponseRedirect(_detail_url(pathway, editing=True))


@capability_required(Cap.MANAGE_PATHWAYS)
@require_http_methods(["GET", "POST"])
def pathway_edit_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    pathway = _editable(request, pathway_uuid)
    if request.method != "POST":
        return _pathway_form(request, PathwayForm(instance=pathway), pathway)
    form = PathwayForm(request.POST, instance=pathway)
    if not form.is_valid():
        return _pathway_form(request, form, pathway)
    actions.save_pathway(
        request.user, form.save(commit=False), changed=form.changed_data, request=request
    )
    messages.success(request, _("The pathway's details were saved."))
    return HttpResponseRedirect(_detail_url(pathway))


@capability_required(Cap.MANAGE_PATHWAYS)
@require_POST
def pathway_status_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    pathway = _editable(request, pathway_uuid)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return HttpResponseRedirect(_detail_url(pathway))
    actions.set_pathway_status(request.user, pathway, form.cleaned_data["status"], request=request)
    notes = {
        PathwayStatus.PUBLISHED: _("The pathway is published: anyone can now see it."),
        PathwayStatus.DRAFT: _("The pathway is a draft again: only logged-in staff can see it."),
        PathwayStatus.ARCHIVED: _("The pathway is archived: only coordinators can see it."),
    }
    messages.success(request, notes[PathwayStatus(pathway.status)])
    return HttpResponseRedirect(_detail_url(pathway))


@capability_required(Cap.MANAGE_PATHWAYS)
@require_POST
def pathway_verify_view(request: HttpRequest, pathway_uuid: Any) -> HttpResponse:
    pathway = _editable(request, pathway_uuid)
    actions.verify_pathway(request.user, pathway, request=request)
    messages.success(request, _("The pathway is marked as verified today."))
    return HttpResponseRedirect(_detail_url(pathway))
