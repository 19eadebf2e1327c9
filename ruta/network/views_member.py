"""Pages for logged-in users: one-click registration, materials, their organization's membership."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.lib.permissions import Cap, capability_required, login_only
from ruta.network import access, actions
from ruta.network.forms import FocalPointsForm, MembershipForm
from ruta.network.models import MembershipStatus


@login_only
@require_POST
def meeting_register_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    meeting = access.get_meeting(request.user, uuid)
    if request.POST.get("cancel"):
        if actions.cancel_registration(request.user, meeting):
            messages.success(request, _("Your registration was cancelled."))
        return HttpResponseRedirect(meeting.get_absolute_url())
    try:
        _registration, created = actions.register_user(request.user, meeting)
    except actions.NetworkError as error:
        messages.error(request, str(error))
    else:
        if created:
            messages.success(request, _("You are registered for this meeting."))
        else:
            messages.info(request, _("You were already registered for this meeting."))
    return HttpResponseRedirect(meeting.get_absolute_url())


@login_only
@require_GET
def material_download_view(request: AuthenticatedRequest, uuid: Any) -> FileResponse:
    material = access.get_material(request.user, uuid)
    response = FileResponse(
        material.file.open("rb"),
        content_type=material.content_type,
        as_attachment=True,
        filename=material.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@capability_required(Cap.MANAGE_MEMBERSHIP)
@require_http_methods(["GET", "POST"])
def own_membership_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The user's organization in this network: join, leave, focal points."""
    network = access.get_network(slug)
    organization = request.user.organization
    membership = network.memberships.filter(organization=organization).first()
    form = FocalPointsForm(
        request.POST if request.POST.get("do") == "focal" else None,
        organization=organization,
        initial={"focal_users": list(membership.focal_users.all()) if membership else []},
    )
    context = {
        "network": network,
        "membership": membership,
        "active": membership is not None and membership.status == MembershipStatus.ACTIVE,
        "form": form,
    }
    if request.method == "POST":
        do = request.POST.get("do")
        try:
            if do == "join":
                actions.join_network(request.user, network)
                messages.success(request, _("Your organization joined the network."))
            elif do == "leave" and membership is not None:
                actions.leave_network(request.user, membership)
                messages.success(request, _("Your organization left the network."))
            elif do == "focal" and membership is not None and form.is_valid():
                actions.set_focal_points(request.user, membership, form.cleaned_data["focal_users"])
                messages.success(request, _("The focal points were saved."))
            else:
                return render(request, "network/own_membership.html", context, status=400)
        except actions.NetworkError as error:
            messages.error(request, str(error))
            return render(request, "network/own_membership.html", context, status=409)
        return HttpResponseRedirect(reverse("network:own_membership", kwargs={"slug": slug}))
    return render(request, "network/own_membership.html", context)


@capability_required(Cap.MANAGE_MEMBERSHIP)
@require_http_methods(["GET", "POST"])
def membership_edit_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    """Coordinators edit any membership; agency administrators only their own (focal points)."""
    membership = access.editable_membership(request.user, uuid)
    if not access.may_manage(request.user):
        return HttpResponseRedirect(
            reverse("network:own_membership", kwargs={"slug": membership.network.slug})
        )
    form = MembershipForm(request.POST or None, instance=membership)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_membership(
                    request.user,
                    form.save(commit=False),
                    form.cleaned_data["focal_users"],
                    form.cleaned_data["focal_people"],
                )
            except actions.NetworkError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("The membership was saved."))
                return HttpResponseRedirect(membership.network.get_absolute_url())
        else:
            status = 400
    return render(
        request,
        "network/membership_form.html",
        {"form": form, "network": membership.network, "membership": membership},
        status=status,
    )
