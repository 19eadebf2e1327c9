"""Public pages: networks, meetings, the registration link, calendars and the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from ruta.audit.actions import client_ip
from ruta.directory.models import Service, ServiceStatus
from ruta.lib.crypto import keyed_hash
from ruta.lib.permissions import Cap, public, user_can
from ruta.network import access, actions, ics
from ruta.network.figures import default_period, network_figures
from ruta.network.forms import PeriodForm, PublicRegistrationForm
from ruta.network.models import Membership, MembershipStatus, Person
from ruta.network.report import build_report, report_pdf

MEETINGS_SHOWN = 50


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Public pages keep the workspace header (navigation, messages) for logged-in users."""
    base = "base.html" if request.user.is_authenticated else "public_base.html"
    return render(request, template, {**context, "base_template": base}, status=status)


@public
@require_GET
def network_list_view(request: HttpRequest) -> HttpResponse:
    networks = access.networks()
    return render_page(
        request,
        "network/network_list.html",
        {"networks": networks, "can_manage": access.may_manage(request.user)},
    )


def _members(network: Any) -> list[Membership]:
    services = Prefetch(
        "organization__services",
        queryset=Service.objects.filter(status=ServiceStatus.ACTIVE).order_by("name_es"),
        to_attr="active_services",
    )
    return list(
        network.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("organization")
        .prefetch_related(
            services,
            "focal_users",
            Prefetch("focal_people", queryset=Person.objects.order_by("full_name")),
        )
        .order_by("organization__name")
    )


@public
@require_GET
def network_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.get_network(slug)
    start, end = default_period(network)
    now = timezone.now()
    meetings = access.visible_meetings(request.user).filter(network=network)
    former = (
        network.memberships.filter(status=MembershipStatus.INACTIVE)
        .select_related("organization")
        .order_by("organization__name")
    )
    own = None
    user = request.user
    if user.is_authenticated and user_can(user, Cap.MANAGE_MEMBERSHIP):
        own = network.memberships.filter(organization_id=user.organization_id).first()
    return render_page(
        request,
        "network/network_detail.html",
        {
            "network": network,
            "members": _members(network),
            "former": former,
            "figures": network_figures(network, start, end),
            "upcoming": meetings.filter(ends_at__gte=now).order_by("starts_at")[:10],
            "past": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:10],
            "show_focal_points": request.user.is_authenticated,
            "can_manage": access.may_manage(request.user),
            "can_join": user_can(request.user, Cap.MANAGE_MEMBERSHIP),
            "own_membership": own,
        },
    )


@public
@require_GET
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    meetings = access.visible_meetings(request.user).prefetch_related("host_organizations")
    return render_page(
        request,
        "network/meeting_list.html",
        {
            "upcoming": list(
                meetings.filter(ends_at__gte=now).order_by("starts_at")[:MEETINGS_SHOWN]
            ),
            "past": list(meetings.filter(ends_at__lt=now).order_by("-starts_at")[:MEETINGS_SHOWN]),
        },
    )


@public
@require_GET
def meeting_detail_view(request: HttpRequest, uuid: Any) -> HttpResponse:
    meeting = access.get_meeting(request.user, uuid)
    registered = False
    if request.user.is_authenticated:
        registered = meeting.registrations.filter(person__user=request.user).exists()
    can_manage = access.may_manage(request.user)
    attendances = meeting.attendances.all()
    return render_page(
        request,
        "network/meeting_detail.html",
        {
            "meeting": meeting,
            "hosts": meeting.host_organizations.all(),
            "presenters": meeting.presenting_organizations.all(),
            "materials": meeting.materials.all()
            if access.may_see_materials(request.user)
            else None,
            "registered": registered,
            "can_manage": can_manage,
            "attendees": attendances.count(),
            "registrations": meeting.registrations.count() if can_manage else None,
            "follow_ups": meeting.follow_ups.select_related("owner_organization", "owner_person")
            if request.user.is_authenticated
            else None,
            "public_link": request.build_absolute_uri(
                reverse("network:public_registration", kwargs={"token": meeting.registration_token})
            ),
        },
    )


def _ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
@require_GET
def meeting_ics_view(request: HttpRequest, uuid: Any) -> HttpResponse:
    meeting = access.get_meeting(request.user, uuid)
    return _ics_response(
        ics.meeting_calendar(meeting), f"{slugify(meeting.title)[:60] or 'reunion'}.ics"
    )


@public
@require_GET
def network_feed_view(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.get_network(slug)
    response = HttpResponse(ics.network_feed(network), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{network.slug}.ics"'
    return response


def _client_hash(request: HttpRequest) -> str:
    ip = client_ip(request)
    return keyed_hash(f"registration:{ip}") if ip else ""


@public
@require_http_methods(["GET", "POST"])
def public_registration_view(request: HttpRequest, token: Any) -> HttpResponse:
    meeting = access.get_meeting_by_token(token)
    form = PublicRegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.register_external(
                meeting,
                actions.ExternalParticipant(
                    full_name=data["full_name"],
                    email=data["email"],
                    organization_name=data["organization_name"],
                    sex=data["sex"],
                    country=data["country"],
                    consent=data["consent"],
                ),
                client_hash=_client_hash(request),
            )
        except actions.NetworkError as error:
            form.add_error(None, str(error))
            status = 409
        else:
            return render_page(request, "network/registration_done.html", {"meeting": meeting})
    elif request.method == "POST":
        status = 400
    return render_page(
        request,
        "network/public_registration.html",
        {"meeting": meeting, "form": form},
        status=status,
    )


# --- The report ------------------------------------------------------------------------
def _period(request: HttpRequest, network: Any) -> tuple[PeriodForm, dt.date, dt.date]:
    start, end = default_period(network)
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif not request.GET:
        form = PeriodForm({"start": start.isoformat(), "end": end.isoformat()})
        form.is_valid()
    return form, start, end


@public
@require_GET
def report_view(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.get_network(slug)
    form, start, end = _period(request, network)
    report = build_report(network, start, end, include_internal=request.user.is_authenticated)
    pdf_url = reverse("network:report_pdf", kwargs={"slug": network.slug})
    return render_page(
        request,
        "network/report.html",
        {
            "network": network,
            "form": form,
            "report": report,
            "pdf_url": f"{pdf_url}?start={start.isoformat()}&end={end.isoformat()}",
        },
    )


@public
@require_GET
def report_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.get_network(slug)
    form, start, end = _period(request, network)
    if request.GET and not form.is_valid():
        # The page shows the form with its errors.
        page = reverse("network:report", kwargs={"slug": network.slug})
        return HttpResponseRedirect(f"{page}?{request.GET.urlencode()}")
    report = build_report(network, start, end, include_internal=request.user.is_authenticated)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    name = f"{network.slug}-{start.isoformat()}-{end.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
