from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ruta.agencies import actions
from ruta.agencies.access import (
    can_set_retention,
    get_retention_organization,
    get_visible_organization,
    visible_organizations,
)
from ruta.agencies.forms import OrganizationForm, RetentionForm
from ruta.agencies.models import OrganizationType, default_retention_years
from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, capability_required, user_can
from ruta.ui.forms import error_summary


@capability_required(Cap.VIEW_ORGANIZATIONS)
def organization_list_view(request: HttpRequest) -> HttpResponse:
    organizations = visible_organizations(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    kind = request.GET.get("type", "")
    if kind in OrganizationType.values:
        organizations = organizations.filter(type=kind)
    return render(
        request,
        "agencies/organization_list.html",
        {
            "page": paginate(request, organizations),
            "query": querystring_without_page(request),
            "q": query,
            "type": kind,
            "types": OrganizationType.choices,
            "can_manage": user_can(request.user, Cap.MANAGE_ORGANIZATIONS),
        },
    )


@capability_required(Cap.VIEW_ORGANIZATIONS)
def organization_detail_view(request: HttpRequest, org_uuid: str) -> HttpResponse:
    organization = get_visible_organization(request.user, org_uuid)
    return render(
        request,
        "agencies/organization_detail.html",
        {
            "organization": organization,
            "country_names": organization.country_names(get_language() or "es"),
            "can_manage": user_can(request.user, Cap.MANAGE_ORGANIZATIONS),
            "can_set_retention": can_set_retention(request.user, organization),
        },
    )


@capability_required(Cap.MANAGE_ORGANIZATIONS)
@require_http_methods(["GET", "POST"])
def organization_create_view(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = actions.save_organization(request.user, form, request)
        messages.success(request, _("Organization saved."))
        return redirect("agencies:organization_detail", org_uuid=organization.uuid)
    return render(request, "agencies/organization_form.html", {"form": form, "creating": True})


@capability_required(Cap.MANAGE_ORGANIZATIONS)
@require_http_methods(["GET", "POST"])
def organization_edit_view(request: HttpRequest, org_uuid: str) -> HttpResponse:
    organization = get_visible_organization(request.user, org_uuid)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        actions.save_organization(request.user, form, request)
        messages.success(request, _("Organization saved."))
        return redirect("agencies:organization_detail", org_uuid=organization.uuid)
    return render(
        request,
        "agencies/organization_form.html",
        {"form": form, "creating": False, "organization": organization},
    )


@capability_required(Cap.SET_CASE_RETENTION)
@require_http_methods(["GET", "POST"])
def organization_retention_view(request: HttpRequest, org_uuid: str) -> HttpResponse:
    """How long the organization keeps closed cases before they are anonymised."""
    organization = get_retention_organization(request.user, org_uuid)
    form = RetentionForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        actions.save_retention(request.user, form, request)
        messages.success(request, _("The retention period was saved."))
        return redirect("agencies:organization_detail", org_uuid=organization.uuid)
    return render(
        request,
        "agencies/organization_retention.html",
        {
            "form": form,
            "organization": organization,
            "default_years": default_retention_years(),
            "errors": error_summary(form),
        },
    )
