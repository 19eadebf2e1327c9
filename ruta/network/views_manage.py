"""Coordinators' pages (``Cap.MANAGE_PRACTICE_HUB``): networks, members, meetings,
check-in, attendance import, materials and follow-up actions. Views parse, call
``actions``, render; a ``NetworkError`` is shown on the form with everything typed kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ruta.agencies.models import Organization
from ruta.lib.permissions import Cap, capability_required
from ruta.network import access, actions
from ruta.network.forms import (
    AttendanceImportForm,
    FollowUpForm,
    MaterialForm,
    MeetingForm,
    MembershipForm,
    NetworkForm,
    WalkInForm,
)
from ruta.network.models import (
    Meeting,
    MeetingFollowUp,
    Membership,
    Network,
    Person,
)

MANAGE = Cap.MANAGE_PRACTICE_HUB


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    return render(request, template, context, status=status)


# --- Networks and members ----------------------------------------------------------------
def _network_form(request: AuthenticatedRequest, network: Network | None) -> HttpResponse:
    form = NetworkForm(request.POST or None, instance=network)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = actions.save_network(request.user, form.save(commit=False))
            messages.success(request, _("The network was saved."))
            return HttpResponseRedirect(saved.get_absolute_url())
        status = 400
    return _render(request, "network/network_form.html", {"form": form, "network": network}, status)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def network_create_view(request: AuthenticatedRequest) -> HttpResponse:
    return _network_form(request, None)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def network_edit_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _network_form(request, access.get_network(slug))


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def membership_create_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    network = access.get_network(slug)
    form = MembershipForm(request.POST or None, instance=Membership(network=network))
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
                form.add_error("organization", str(error))
                status = 409
            else:
                messages.success(request, _("The membership was saved."))
                return HttpResponseRedirect(network.get_absolute_url())
        else:
            status = 400
    return _render(
        request, "network/membership_form.html", {"form": form, "network": network}, status
    )


# --- Meetings ----------------------------------------------------------------------------
def _meeting_form(
    request: AuthenticatedRequest, network: Network, meeting: Meeting
) -> HttpResponse:
    form = MeetingForm(request.POST or None, instance=meeting)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = actions.save_meeting(
                    request.user,
                    form.save(commit=False),
                    hosts=form.cleaned_data["host_organizations"],
                    presenters=form.cleaned_data["presenting_organizations"],
                )
            except actions.NetworkError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("The meeting was saved."))
                return HttpResponseRedirect(saved.get_absolute_url())
        else:
            status = 400
    return _render(
        request,
        "network/meeting_form.html",
        {"form": form, "network": network, "meeting": meeting if meeting.pk else None},
        status,
    )


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_create_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    network = access.get_network(slug)
    return _meeting_form(request, network, Meeting(network=network))


def _managed_meeting(request: HttpRequest, uuid: Any) -> Meeting:
    return access.get_meeting(request.user, uuid)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_edit_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    meeting = _managed_meeting(request, uuid)
    return _meeting_form(request, meeting.network, meeting)


# --- Attendance --------------------------------------------------------------------------
def _checkin_context(meeting: Meeting, walk_in: WalkInForm) -> dict[str, Any]:
    registrations = list(
        meeting.registrations.select_related("person", "person__organization").order_by(
            "person__full_name"
        )
    )
    present = set(meeting.attendances.values_list("person_id", flat=True))
    registered_ids = {r.person_id for r in registrations}
    others = (
        meeting.attendances.exclude(person_id__in=registered_ids)
        .select_related("person", "organization")
        .order_by("person__full_name")
    )
    return {
        "meeting": meeting,
        "rows": [(r, r.person_id in present) for r in registrations],
        "others": others,
        "present_count": len(present),
        "walk_in": walk_in,
        "organizations": Organization.objects.filter(active=True),
    }


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def checkin_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    meeting = _managed_meeting(request, uuid)
    if request.method == "POST":
        ids = request.POST.getlist("present")
        people = Person.objects.filter(uuid__in=[i for i in ids if _is_uuid(i)])
        added, removed = actions.set_attendance(request.user, meeting, people)
        messages.success(
            request,
            _("Attendance saved: %(added)s added, %(removed)s removed.")
            % {"added": added, "removed": removed},
        )
        return HttpResponseRedirect(reverse("network:checkin", kwargs={"uuid": meeting.uuid}))
    return render(request, "network/checkin.html", _checkin_context(meeting, WalkInForm()))


def _is_uuid(value: str) -> bool:
    import uuid as uuid_lib

    try:
        uuid_lib.UUID(value)
    except ValueError:
        return False
    return True


@capability_required(MANAGE)
@require_POST
def walk_in_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    meeting = _managed_meeting(request, uuid)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        return render(request, "network/checkin.html", _checkin_context(meeting, form), status=400)
    data = form.cleaned_data
    organization = (
        Organization.objects.filter(name__iexact=data["organization_name"]).first()
        or Organization.objects.filter(acronym__iexact=data["organization_name"]).first()
        if data["organization_name"]
        else None
    )
    person = Person(
        full_name=data["full_name"],
        email=data["email"],
        organization=organization,
        organization_name="" if organization else data["organization_name"],
        sex=data["sex"],
        country=data["country"],
    )
    actions.add_walk_in(request.user, meeting, person)
    messages.success(request, _("%(name)s was checked in.") % {"name": data["full_name"]})
    return HttpResponseRedirect(reverse("network:checkin", kwargs={"uuid": meeting.uuid}))


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def attendance_import_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    meeting = _managed_meeting(request, uuid)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                summary = actions.import_attendance(
                    request.user, meeting, form.cleaned_data["file"].read()
                )
            except actions.AttendanceImportError as error:
                errors = error.errors
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s attendance imported (%(already)s already recorded).",
                        "%(count)s attendances imported (%(already)s already recorded).",
                        summary.created,
                    )
                    % {"count": summary.created, "already": summary.already},
                )
                return HttpResponseRedirect(
                    reverse("network:checkin", kwargs={"uuid": meeting.uuid})
                )
        else:
            status = 400
    return _render(
        request,
        "network/attendance_import.html",
        {"meeting": meeting, "form": form, "errors": errors},
        status,
    )


# --- Materials and follow-ups ------------------------------------------------------------
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def materials_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    meeting = _managed_meeting(request, uuid)
    form = MaterialForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.add_material(
                    request.user, meeting, form.cleaned_data["title"], form.cleaned_data["file"]
                )
            except actions.NetworkError as error:
                form.add_error("file", str(error))
                status = 400
            else:
                messages.success(request, _("The material was added."))
                return HttpResponseRedirect(
                    reverse("network:materials", kwargs={"uuid": meeting.uuid})
                )
        else:
            status = 400
    return _render(
        request,
        "network/materials.html",
        {"meeting": meeting, "form": form, "materials": meeting.materials.all()},
        status,
    )


@capability_required(MANAGE)
@require_POST
def material_remove_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    material = access.get_material(request.user, uuid)
    meeting = material.meeting
    actions.remove_material(request.user, material)
    messages.success(request, _("The material was removed."))
    return HttpResponseRedirect(reverse("network:materials", kwargs={"uuid": meeting.uuid}))


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def follow_ups_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    meeting = _managed_meeting(request, uuid)
    form = FollowUpForm(
        request.POST or None, meeting=meeting, instance=MeetingFollowUp(meeting=meeting)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            actions.save_follow_up(request.user, form.save(commit=False))
            messages.success(request, _("The follow-up action was saved."))
            return HttpResponseRedirect(
                reverse("network:follow_ups", kwargs={"uuid": meeting.uuid})
            )
        status = 400
    follow_ups = meeting.follow_ups.select_related("owner_organization", "owner_person")
    return _render(
        request,
        "network/follow_ups.html",
        {"meeting": meeting, "form": form, "follow_ups": follow_ups},
        status,
    )


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def follow_up_edit_view(request: AuthenticatedRequest, uuid: Any) -> HttpResponse:
    follow_up = MeetingFollowUp.objects.select_related("meeting").filter(uuid=uuid).first()
    if follow_up is None:
        raise Http404
    meeting = follow_up.meeting
    form = FollowUpForm(request.POST or None, meeting=meeting, instance=follow_up)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            actions.save_follow_up(request.user, form.save(commit=False))
            messages.success(request, _("The follow-up action was saved."))
            return HttpResponseRedirect(
                reverse("network:follow_ups", kwargs={"uuid": meeting.uuid})
            )
        status = 400
    return _render(
        request,
        "network/follow_up_form.html",
        {"meeting": meeting, "form": form, "follow_up": follow_up},
        status,
    )
