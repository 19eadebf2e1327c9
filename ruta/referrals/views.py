"""Referral pages: inbox (received and sent), service picker, send, detail with each
step's form, and the printable form for organizations not on Ruta.

Every view needs ``Cap.VIEW_CASES`` (assigning ``Cap.SUPERVISE_CASES``) and gets the
referral through ``access`` (missing or forbidden: 404). A refused step re-renders the
detail page with the message and what was typed, answering 409.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.cases.access import audit_case_read, get_case
from ruta.cases.actions import CaseError, has_consent
from ruta.cases.models import Case, CaseStatus, ConsentPurpose
from ruta.directory.access import visible_services
from ruta.directory.models import IntakeStatus, Service
from ruta.directory.search import FinderQuery, find_services
from ruta.exports.actions import request_export
from ruta.exports.views import requested as export_requested
from ruta.lib.pagination import paginate
from ruta.lib.permissions import Cap, capability_required, user_can
from ruta.pathways.access import entry_point_service_ids
from ruta.referrals import access, actions, form_export, metrics, presentation
from ruta.referrals.forms import (
    AcceptForm,
    AssignForm,
    CompleteForm,
    DeclineForm,
    PickerForm,
    RevokeForm,
    SendForm,
)
from ruta.referrals.models import Channel, Referral, ReferralStatus, ShareField
from ruta.ui.forms import error_summary

GET_POST = require_http_methods(["GET", "POST"])


def detail_url(referral: Referral) -> str:
    return reverse("referrals:detail", kwargs={"referral_uuid": referral.uuid})


# --- Inbox ------------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_GET
def inbox_view(request: AuthenticatedRequest) -> HttpResponse:
    side = "sent" if request.GET.get("side") == "sent" else "received"
    state = request.GET.get("status", "open")
    if side == "sent":
        referrals = access.sent_referrals(request.user)
    else:
        referrals = access.received_referrals(request.user)
    if state == "open":
        referrals = referrals.filter(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED))
    elif state in ReferralStatus.values:
        referrals = referrals.filter(status=state)
    page = paginate(request, referrals.order_by("-sent_at", "-id"), per_page=30)
    now = timezone.now()
    rows = [
        {
            "referral": r,
            "overdue": r.status == ReferralStatus.SENT and r.respond_by < now,
        }
        for r in page.object_list
    ]
    counts = {
        "received": access.received_referrals(request.user)
        .filter(status=ReferralStatus.SENT)
        .count(),
    }
    return render(
        request,
        "referrals/inbox.html",
        {
            "side": side,
            "state": state,
            "page": page,
            "rows": rows,
            "counts": counts,
            "statuses": ReferralStatus.choices,
        },
    )


# --- Picking a service ---------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_GET
def pick_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    case = get_case(request.user, case_uuid)
    audit_case_read(request, case, what="referral")
    defaults = presentation.picker_defaults(case)
    form = PickerForm(request.GET or None, initial=defaults)
    data = defaults
    if request.GET:
        form.is_valid()  # a filter in error (an unknown region) is left out and says why
        data = {**form.cleaned_data}
    query = FinderQuery(
        text=data.get("q", ""),
        sector=data.get("sector", ""),
        profile=data.get("profile", ""),
        admin1=data.get("admin1", ""),
        accepting=bool(data.get("accepting")),
    )
    services = find_services(visible_services(request.user), query)
    entry = entry_point_service_ids(query.profile)
    page = paginate(request, services, per_page=20)
    items: list[Service] = list(page.object_list)
    records = metrics.service_records(s.pk for s in items)
    rows = [
        {
            "service": s,
            "record": records.get(s.pk, metrics.TrackRecord()),
            "entry_point": s.pk in entry,
            "accepting": s.intake_status == IntakeStatus.ACCEPTING,
            "consent": has_consent(case, ConsentPurpose.SHARE, s.organization),
        }
        for s in items
    ]
    return render(
        request,
        "referrals/pick.html",
        {"case": case, "form": form, "page": page, "rows": rows},
    )


@capability_required(Cap.VIEW_CASES)
@GET_POST
def send_view(request: AuthenticatedRequest, case_uuid: UUID, service_uuid: UUID) -> HttpResponse:
    case = get_case(request.user, case_uuid)
    service = (
        visible_services(request.user)
        .select_related("organization")
        .filter(uuid=service_uuid)
        .first()
    )
    if service is None:
        raise Http404
    if case.status != CaseStatus.OPEN:
        messages.error(request, _("This case is not open. Reopen it before referring."))
        return redirect("cases:case_detail", case_uuid=case.uuid)
    needs_consent = not has_consent(case, ConsentPurpose.SHARE, service.organization)
    status = 200
    if request.method == "POST":
        form = SendForm(request.POST, client=case.client, needs_consent=needs_consent)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = actions.send_referral(
                    request.user,
                    case,
                    service=service,
                    fields=data["fields_to_share"],
                    urgency=data["urgency"],
                    reason=data["reason"],
                    consent=form.consent(),
                )
            except CaseError as error:  # ReferralError, or the consent rules of the case
                form.add_error(None, str(error))
                status = 409
            else:
                if referral.channel == Channel.PRINTED:
                    messages.success(
                        request,
                        _(
                            "The referral was logged. This organization does not work on "
                            "Ruta: print the referral form and hand it over safely."
                        ),
                    )
                else:
                    messages.success(request, _("The referral was sent."))
                return redirect(detail_url(referral))
    else:
        audit_case_read(request, case, what="referral")
        form = SendForm(client=case.client, needs_consent=needs_consent)
    return render(
        request,
        "referrals/send.html",
        {
            "case": case,
            "service": service,
            "form": form,
            "errors": error_summary(form),
            "record": metrics.service_record(service),
            "on_ruta": actions.has_receiving_team(service.organization),
            "checklist": _checklist(form, case),
        },
        status=status,
    )


def _checklist(form: SendForm, case: Case) -> list[dict[str, Any]]:
    """Each checkbox of the checklist with what it would share from this case."""
    preview = {
        row["key"]: row["value"]
        for row in presentation.snapshot_rows(actions.build_snapshot(case, ShareField.values))
    }
    return [
        {"choice": choice, "preview": preview.get(choice.data["value"], "")}
        for choice in form["fields_to_share"]
    ]


# --- Detail and steps -----------------------------------------------------------------------
def _detail_context(request: AuthenticatedRequest, referral: Referral, side: str) -> dict[str, Any]:
    user = request.user
    receiver = side == access.RECEIVER
    show_snapshot = receiver and access.snapshot_visible(referral)
    may_supervise = user_can(user, Cap.SUPERVISE_CASES)
    context: dict[str, Any] = {
        "referral": referral,
        "side": side,
        "events": list(referral.events.select_related("organization")),
        "snapshot": presentation.snapshot_rows(referral.snapshot_data())
        if (show_snapshot or side == access.SENDER)
        else None,
        "snapshot_hidden": receiver and not show_snapshot,
        "consent_withdrawn": referral.consent.withdrawn_at is not None,
        "overdue": referral.status == ReferralStatus.SENT and referral.respond_by < timezone.now(),
        "record": metrics.service_record(referral.service) if referral.service else None,
    }
    live = referral.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    if receiver and referral.channel == Channel.ON_RUTA:
        org_id = referral.to_organization_id
        if referral.status == ReferralStatus.SENT and show_snapshot:
            context["accept_form"] = AcceptForm(
                organization_id=org_id,
                may_assign=may_supervise,
                user=user,
                initial={"case_type": referral.snapshot_data().get("case_type")},
            )
            context["decline_form"] = DeclineForm()
        if live and may_supervise:
            context["assign_form"] = AssignForm(organization_id=org_id)
        if referral.status == ReferralStatus.ACCEPTED:
            context["complete_form"] = CompleteForm()
    if side == access.SENDER:
        if live:
            context["revoke_form"] = RevokeForm()
        if referral.channel == Channel.PRINTED and live:
            context["complete_form"] = CompleteForm()
    return context


@capability_required(Cap.VIEW_CASES)
@require_GET
def detail_view(request: AuthenticatedRequest, referral_uuid: UUID) -> HttpResponse:
    referral, side = access.get_referral(request.user, referral_uuid)
    access.audit_referral_read(request, referral, side)
    return render(request, "referrals/detail.html", _detail_context(request, referral, side))


Step = Callable[["AuthenticatedRequest", Referral, dict[str, Any]], Referral]


def _step(
    request: AuthenticatedRequest,
    referral_uuid: UUID,
    *,
    form_key: str,
    make_form: Callable[[AuthenticatedRequest, Referral], Any],
    run: Step,
    success: str,
) -> HttpResponse:
    referral, side = access.get_referral(request.user, referral_uuid)
    form = make_form(request, referral)
    status = 400
    if form.is_valid():
        try:
            run(request, referral, form.cleaned_data)
        except CaseError as error:  # ReferralError, or a rule of the case it opens
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, success)
            return redirect(detail_url(referral))
    referral.refresh_from_db()
    context = _detail_context(request, referral, side)
    context[form_key] = form
    context["errors"] = error_summary(form)
    return render(request, "referrals/detail.html", context, status=status)


@capability_required(Cap.VIEW_CASES)
@require_POST
def accept_view(request: AuthenticatedRequest, referral_uuid: UUID) -> HttpResponse:
    def make(req: AuthenticatedRequest, referral: Referral) -> AcceptForm:
        return AcceptForm(
            req.POST,
            organization_id=referral.to_organization_id,
            may_assign=user_can(req.user, Cap.SUPERVISE_CASES),
            user=req.user,
        )

    def run(req: AuthenticatedRequest, referral: Referral, data: dict[str, Any]) -> Referral:
        return actions.accept_referral(
            req.user,
            referral,
            assign_to=data.get("assign_to"),
            link_case=data.get("link_case"),
            case_type=data["case_type"],
        )

    return _step(
        request,
        referral_uuid,
        form_key="accept_form",
        make_form=make,
        run=run,
        success=_("You accepted the referral. The case is open in your organization."),
    )


@capability_required(Cap.VIEW_CASES)
@require_POST
def decline_view(request: AuthenticatedRequest, referral_uuid: UUID) -> HttpResponse:
    def run(req: AuthenticatedRequest, referral: Referral, data: dict[str, Any]) -> Referral:
        return actions.decline_referral(
            req.user, referral, reason=data["reason"], note=data["note"]
        )

    return _step(
        request,
        referral_uuid,
        form_key="decline_form",
        make_form=lambda req, _r: DeclineForm(req.POST),
        run=run,
        success=_("You declined the referral. The referring organization was told why."),
    )


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def assign_view(request: AuthenticatedRequest, referral_uuid: UUID) -> HttpResponse:
    def run(req: AuthenticatedRequest, referral: Referral, data: dict[str, Any]) -> Referral:
        return actions.assign_referral(req.user, referral, data["person"])

    return _step(
        request,
        referral_uuid,
        form_key="assign_form",
        make_form=lambda req, r: AssignForm(req.POST, organization_id=r.to_organization_id),
        run=run,
        success=_("The referral was assigned."),
    )


@capability_required(Cap.VIEW_CASES)
@require_POST
def complete_view(request: AuthenticatedRequest, referral_uuid: UUID) -> HttpResponse:
    def run(req: AuthenticatedRequest, referral: Referral, data: dict[str, Any]) -> Referral:
        return actions.complete_referral(
            req.user, referral, outcome=data["outcome"], feedback=data["feedback"]
        )

    return _step(
        request,
        referral_uuid,
        form_key="complete_form",
        make_form=lambda req, _r: CompleteForm(req.POST),
        run=run,
        success=_("The referral is completed. Thank you for the feedback."),
    )


@capability_required(Cap.VIEW_CASES)
@require_POST
def revoke_view(request: AuthenticatedRequest, referral_uuid: UUID) -> HttpResponse:
    def run(req: AuthenticatedRequest, referral: Referral, data: dict[str, Any]) -> Referral:
        return actions.revoke_referral(req.user, referral, reason=data["reason"])

    return _step(
        request,
        referral_uuid,
        form_key="revoke_form",
        make_form=lambda req, _r: RevokeForm(req.POST),
        run=run,
        success=_("The referral was revoked. The receiver no longer sees the information."),
    )


# --- Printable form ------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_POST
def form_pdf_view(request: AuthenticatedRequest, referral_uuid: UUID) -> HttpResponse:
    """The referral form for an organization not on Ruta (only the fields chosen), made in
    the background as an encrypted, expiring file under My exports."""
    referral, side = access.get_referral(request.user, referral_uuid)
    if side != access.SENDER or not referral.is_live:
        raise Http404
    access.audit_referral_read(request, referral, side)
    request_export(
        request.user, form_export.KIND, {"referral": str(referral.uuid)}, request=request
    )
    return export_requested(request)


# --- Referrals of a case (for the case page) -------------------------------------------------
