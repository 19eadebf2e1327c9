"""The helpline desk's pages under ``/linea/``. Thin views: every change is an ``actions``
function; every record is reached through ``access`` (another agency's, or another
operator's: 404). Every view needs ``Cap.HANDLE_HELPLINE`` (helpline operators and
supervisors; everybody else 404); supervision steps ``Cap.SUPERVISE_CASES`` and the desk's
own organization. A page showing a contact's free text is audited as a read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.cases.models import CHILD_BANDS
from ruta.helpline import access, actions, figures, services
from ruta.helpline.forms import (
    CallbackForm,
    ContactForm,
    FirstAidForm,
    HandoffForm,
    HandoverForm,
    RiskForm,
)
from ruta.helpline.models import (
    CallbackStatus,
    Contact,
    ContactStatus,
    DeskSettings,
    RiskQuestion,
)
from ruta.helpline.work import local_day_bounds
from ruta.lib.pagination import paginate
from ruta.lib.permissions import Cap, capability_required
from ruta.ui.forms import error_summary

GET_POST = require_http_methods(["GET", "POST"])


def contact_url(contact: Contact) -> str:
    return reverse("helpline:contact_detail", kwargs={"contact_uuid": contact.uuid})


def _questions() -> list[RiskQuestion]:
    return list(RiskQuestion.objects.filter(active=True))


# --- The desk -----------------------------------------------------------------------------
@capability_required(Cap.HANDLE_HELPLINE)
@require_GET
def desk_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not access.on_desk(user):
        raise Http404
    start, end = local_day_bounds()
    today = list(
        access.visible_contacts(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .select_related("operator")
        .prefetch_related("reasons")
        .annotate(yes_count=Count("risk_yes"))
    )
    alerts = list(
        access.visible_alerts(user)
        .filter(acknowledged_at__isnull=True)
        .select_related("contact", "raised_by")
    )
    callbacks = list(
        access.visible_callbacks(user)
        .filter(status=CallbackStatus.PENDING, due_at__lt=end)
        .select_related("assigned_to", "contact")
    )
    return render(
        request,
        "helpline/desk.html",
        {
            "contacts": today,
            "alerts": alerts,
            "callbacks": callbacks,
            "supervisor": access.supervises_desk(user),
            "now": timezone.now(),
            "handover": access.pending_handover(user),
        },
    )


# --- Contacts -----------------------------------------------------------------------------
@capability_required(Cap.HANDLE_HELPLINE)
@GET_POST
def contact_create_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not access.on_desk(user):
        raise Http404
    form = ContactForm(
        request.POST or None,
        organization=user.organization,
        operators=access.desk_operators(user.organization_id).exclude(pk=user.pk),
    )
    if request.method == "POST" and form.is_valid():
        contact = actions.create_contact(
            user,
            reasons=form.cleaned_data["reasons"],
            phone=form.cleaned_data["phone"],
            operator=form.cleaned_data["operator"],
            **form.contact_fields(),
        )
        messages.success(request, _("Contact %(ref)s saved.") % {"ref": contact.reference})
        if not access.visible_contacts(user).filter(pk=contact.pk).exists():
            return redirect("helpline:desk")  # a colleague's contact: theirs to follow
        return redirect(contact_url(contact))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "helpline/contact_form.html",
        {"form": form, "errors": error_summary(form), "contact": None},
        status=status,
    )


@capability_required(Cap.HANDLE_HELPLINE)
@GET_POST
def contact_edit_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    user = request.user
    contact = access.get_contact(user, contact_uuid)
    if contact.status != ContactStatus.OPEN:
        messages.error(request, _("This contact is closed."))
        return redirect(contact_url(contact))
    initial = {name: getattr(contact, name) for name in actions.PROFILE_FIELDS}
    initial["reasons"] = list(contact.reasons.all())
    form = ContactForm(
        request.POST or None,
        organization=contact.organization,
        admin1=request.POST.get("admin1", contact.admin1)
        if request.method == "POST"
        else contact.admin1,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        actions.update_contact(
            user,
            contact,
            reasons=form.cleaned_data["reasons"],
            phone=form.cleaned_data["phone"],
            **form.contact_fields(),
        )
        messages.success(request, _("Contact %(ref)s saved.") % {"ref": contact.reference})
        return redirect(contact_url(contact))
    if request.method == "GET":
        access.audit_contact_read(request, contact, what="edit")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "helpline/contact_form.html",
        {"form": form, "errors": error_summary(form), "contact": contact},
        status=status,
    )


def _risk_context(contact: Contact, yes: list[RiskQuestion]) -> dict[str, Any]:
    return {
        "protocol_text": services.protocol_text(contact.organization_id),
        "emergency_services": services.emergency_services(contact.admin1, yes) if yes else [],
    }


@capability_required(Cap.HANDLE_HELPLINE)
@require_GET
def contact_detail_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    user = request.user
    contact = access.get_contact(user, contact_uuid)
    access.audit_contact_read(request, contact)
    yes = list(contact.risk_yes.all())
    alert = getattr(contact, "alert", None)
    return render(
        request,
        "helpline/contact_detail.html",
        {
            "contact": contact,
            "reasons": list(contact.reasons.all()),
            "suggested": list(contact.services_suggested.select_related("organization")),
            "yes": yes,
            "alert": alert,
            "protocol_incomplete": actions.protocol_incomplete(contact),
            "callbacks": list(
                access.visible_callbacks(user).filter(contact=contact).select_related("assigned_to")
            ),
            "supervisor": access.supervises_desk(user),
            "is_operator": contact.operator_id == user.pk,
            "handoffs": list(contact.handoffs.select_related("referral__to_organization")),
            **(_risk_context(contact, yes) if yes else {}),
        },
    )


@capability_required(Cap.HANDLE_HELPLINE)
@GET_POST
def first_aid_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    user = request.user
    contact = access.get_contact(user, contact_uuid)
    if contact.status != ContactStatus.OPEN:
        messages.error(request, _("This contact is closed."))
        return redirect(contact_url(contact))
    offered = services.area_services(contact.admin1)
    initial = {name: getattr(contact, name) for name in actions.PFA_FIELDS}
    initial["services"] = list(contact.services_suggested.all())
    form = FirstAidForm(request.POST or None, services=offered, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.record_first_aid(
            user,
            contact,
            services=data["services"],
            **{name: data[name] for name in actions.PFA_FIELDS},
        )
        messages.success(request, _("Psychological first aid saved."))
        return redirect(contact_url(contact))
    if request.method == "GET":
        access.audit_contact_read(request, contact, what="first_aid")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "helpline/first_aid.html",
        {"contact": contact, "form": form, "errors": error_summary(form)},
        status=status,
    )


@capability_required(Cap.HANDLE_HELPLINE)
@GET_POST
def risk_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    """The screening. A "yes" raises the alert at once (even if the action taken is still
    missing) and shows the protocol and the emergency services; the action taken is then
    required."""
    user = request.user
    contact = access.get_contact(user, contact_uuid)
    if contact.status != ContactStatus.OPEN:
        messages.error(request, _("This contact is closed."))
        return redirect(contact_url(contact))
    questions = _questions()
    previous_yes = {q.pk for q in contact.risk_yes.all()}
    initial: dict[str, Any] = {"action_taken": contact.risk_action}
    if contact.risk_screened_at is not None:
        initial.update({f"q_{q.code}": "yes" if q.pk in previous_yes else "no" for q in questions})
    form = RiskForm(request.POST or None, questions=questions, initial=initial)
    yes = [q for q in questions if q.pk in previous_yes]
    heading = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            yes = form.yes()
            alert = actions.record_screening(
                user, contact, yes=yes, action_taken=form.cleaned_data["action_taken"]
            )
            if not yes or contact.risk_action:
                if yes:
                    messages.success(request, _("Risk protocol recorded."))
                else:
                    messages.success(request, _("Risk screening saved: no risk reported."))
                return redirect(contact_url(contact))
            if alert is not None:
                messages.warning(
                    request, _("Your supervisor has been alerted. Follow the protocol below.")
                )
            form.add_error("action_taken", _("Record the action taken: the protocol requires it."))
            heading = _("The answers are saved and the supervisor alerted; one step is left.")
        status = 400
    else:
        access.audit_contact_read(request, contact, what="risk")
    return render(
        request,
        "helpline/risk.html",
        {
            "contact": contact,
            "form": form,
            "errors": error_summary(form),
            "heading": heading,
            "yes": yes,
            **_risk_context(contact, yes),
        },
        status=status,
    )


@capability_required(Cap.HANDLE_HELPLINE)
@require_POST
def contact_close_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    contact = access.get_contact(request.user, contact_uuid)
    try:
        actions.close_contact(request.user, contact)
    except actions.ProtocolIncomplete as error:
        messages.error(request, str(error))
        return redirect(reverse("helpline:contact_risk", kwargs={"contact_uuid": contact.uuid}))
    except actions.HelplineError as error:
        messages.error(request, str(error))
        return redirect(contact_url(contact))
    messages.success(request, _("Contact %(ref)s closed.") % {"ref": contact.reference})
    return redirect("helpline:desk")


@capability_required(Cap.HANDLE_HELPLINE)
@require_POST
def debrief_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    contact = access.get_contact(request.user, contact_uuid)
    try:
        actions.request_debrief(request.user, contact)
    except actions.HelplineError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your supervisor will offer you a debrief."))
    return redirect(contact_url(contact))


# --- Alerts and supervision ---------------------------------------------------------------
@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def alert_acknowledge_view(request: AuthenticatedRequest, alert_uuid: UUID) -> HttpResponse:
    if not access.supervises_desk(request.user):
        raise Http404
    alert = access.get_alert(request.user, alert_uuid)
    actions.acknowledge_alert(request.user, alert)
    messages.success(request, _("Alert acknowledged."))
    return redirect(contact_url(alert.contact))


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def contact_review_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    if not access.supervises_desk(request.user):
        raise Http404
    contact = access.get_contact(request.user, contact_uuid)
    actions.mark_reviewed(request.user, contact)
    messages.success(request, _("Contact %(ref)s reviewed.") % {"ref": contact.reference})
    return redirect(contact_url(contact))


SUPERVISION_FILTERS = ("", "risk_unreviewed", "risk_reviewed", "debrief")


@capability_required(Cap.SUPERVISE_CASES)
@require_GET
def supervision_view(request: AuthenticatedRequest) -> HttpResponse:
    """The desk's contacts (coded columns only, no free text) for its supervisors."""
    user = request.user
    if not access.supervises_desk(user):
        raise Http404
    shown = request.GET.get("show", "")
    if shown not in SUPERVISION_FILTERS:
        shown = ""
    contacts = (
        access.visible_contacts(user)
        .select_related("operator")
        .annotate(yes_count=Count("risk_yes"))
        .order_by("-started_at", "-id")
    )
    risky = Q(yes_count__gt=0)
    if shown == "risk_unreviewed":
        contacts = contacts.filter(risky, reviewed_at__isnull=True)
    elif shown == "risk_reviewed":
        contacts = contacts.filter(risky, reviewed_at__isnull=False)
    elif shown == "debrief":
        contacts = contacts.filter(debrief_requested_at__isnull=False)
    page = paginate(request, contacts, per_page=50)
    counts = access.visible_contacts(user).annotate(yes_count=Count("risk_yes"))
    return render(
        request,
        "helpline/supervision.html",
        {
            "page": page,
            "shown": shown,
            "unreviewed": counts.filter(risky, reviewed_at__isnull=True).count(),
            "debriefs": counts.filter(debrief_requested_at__isnull=False).count(),
        },
    )


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def protocol_edit_view(request: AuthenticatedRequest) -> HttpResponse:
    """The agency's own risk protocol text, kept by its supervisors."""
    user = request.user
    if not access.supervises_desk(user):
        raise Http404
    current = services.protocol_text(user.organization_id)
    text = request.POST.get("protocol_text", current) if request.method == "POST" else current
    error = ""
    if request.method == "POST":
        text = text.strip()[:8000]
        if text:
            actions.set_protocol_text(user, text)
            messages.success(request, _("Risk protocol saved."))
            return redirect("helpline:supervision")
        error = _("Write the protocol, or keep the text shown.")
    return render(
        request,
        "helpline/protocol.html",
        {
            "text": text,
            "error": error,
            "has_own": DeskSettings.objects.filter(organization_id=user.organization_id).exists(),
        },
        status=400 if error else 200,
    )


# --- Call-backs ---------------------------------------------------------------------------
@capability_required(Cap.HANDLE_HELPLINE)
@GET_POST
def callback_create_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    user = request.user
    contact = access.get_contact(user, contact_uuid)
    form = CallbackForm(
        request.POST or None,
        operators=access.desk_operators(contact.organization_id),
        initial={"due_at": timezone.localtime() + dt.timedelta(hours=1)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.schedule_callback(
                user,
                contact,
                due_at=data["due_at"],
                assigned_to=data["assigned_to"],
                phone=data["phone"],
                name=data["name"],
                safe_instructions=data["safe_instructions"],
            )
        except actions.HelplineError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Call-back scheduled."))
            return redirect(contact_url(contact))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "helpline/callback_form.html",
        {"contact": contact, "form": form, "errors": error_summary(form)},
        status=status,
    )


@capability_required(Cap.HANDLE_HELPLINE)
@require_GET
def callback_detail_view(request: AuthenticatedRequest, callback_uuid: UUID) -> HttpResponse:
    callback = access.get_callback(request.user, callback_uuid)
    access.audit_callback_read(request, callback)
    return render(request, "helpline/callback_detail.html", {"callback": callback})


@capability_required(Cap.HANDLE_HELPLINE)
@require_POST
def callback_finish_view(request: AuthenticatedRequest, callback_uuid: UUID) -> HttpResponse:
    callback = access.get_callback(request.user, callback_uuid)
    done = request.POST.get("outcome", "done") != "cancelled"
    try:
        actions.finish_callback(request.user, callback, done=done)
    except actions.HelplineError as error:
        messages.error(request, str(error))
        return redirect("helpline:callback_detail", callback_uuid=callback.uuid)
    messages.success(request, _("Call-back closed; the number and name were erased."))
    return redirect("helpline:desk")


# --- Warm referral ------------------------------------------------------------------------
@capability_required(Cap.HANDLE_HELPLINE)
@GET_POST
def handoff_view(request: AuthenticatedRequest, contact_uuid: UUID) -> HttpResponse:
    """Refer the caller to another agency, or open a case in ours, with their consent. The
    operator sees the referral's status on the contact, never the case."""
    user = request.user
    contact = access.get_contact(user, contact_uuid)
    form = HandoffForm(request.POST or None, own_organization_id=contact.organization_id)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                handoff = actions.hand_off(
                    user,
                    contact,
                    kind=data["kind"],
                    case_type=data["case_type"],
                    fields=data["share"],
                    organization=data["organization"],
                    consent=data["consent"],
                    urgency=data["urgency"],
                    reason=data["reason"],
                    name=data["name"],
                    phone=data["phone"],
                    given_by=data["given_by"],
                    child_assent=data["child_assent"],
                )
            except actions.HelplineError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                if handoff.referral is not None:
                    messages.success(
                        request,
                        _("Referral %(reference)s sent.")
                        % {"reference": handoff.referral.reference},
                    )
                else:
                    messages.success(
                        request, _("Case opened and handed to the supervisor for assignment.")
                    )
                return redirect(contact_url(contact))
    return render(
        request,
        "helpline/handoff_form.html",
        {
            "contact": contact,
            "form": form,
            "errors": error_summary(form),
            "child": contact.age_band in CHILD_BANDS,
        },
        status=status,
    )


# --- Shift handover -----------------------------------------------------------------------
def _shift_context(handover: Any) -> dict[str, Any]:
    """What a handover passes on, read live: the desk's open call-backs and the alerts
    raised during the shift it closes."""
    return {
        "open_callbacks": list(
            access.visible_callbacks(handover.from_operator)
            .filter(status=CallbackStatus.PENDING)
            .select_related("assigned_to")
        ),
        "shift_alerts": list(
            access.visible_alerts(handover.from_operator)
            .filter(raised_at__gte=handover.shift_started_at, raised_at__lte=handover.created_at)
            .select_related("contact")
        ),
    }


@capability_required(Cap.HANDLE_HELPLINE)
@GET_POST
def handover_create_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not access.on_desk(user):
        raise Http404
    form = HandoverForm(
        request.POST or None,
        operators=access.desk_operators(user.organization_id).exclude(pk=user.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.hand_over(
                user,
                notes=form.cleaned_data["notes"],
                on_behalf_of=form.cleaned_data["on_behalf_of"],
            )
        except actions.HelplineError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Handover left for the next shift."))
            return redirect("helpline:desk")
    now = timezone.now()
    start = actions.shift_start(user, now)
    preview = {
        "open_callbacks": list(
            access.visible_callbacks(user)
            .filter(status=CallbackStatus.PENDING)
            .select_related("assigned_to")
        ),
        "shift_alerts": list(
            access.visible_alerts(user)
            .filter(raised_at__gte=start, raised_at__lte=now)
            .select_related("contact")
        ),
    }
    return render(
        request,
        "helpline/handover_form.html",
        {"form": form, "errors": error_summary(form), **preview},
        status=400 if request.method == "POST" else 200,
    )


@capability_required(Cap.HANDLE_HELPLINE)
@require_GET
def handover_detail_view(request: AuthenticatedRequest, handover_uuid: UUID) -> HttpResponse:
    user = request.user
    handover = access.get_handover(user, handover_uuid)
    access.audit_handover_read(request, handover)
    return render(
        request,
        "helpline/handover_detail.html",
        {
            "handover": handover,
            "can_acknowledge": handover.acknowledged_at is None
            and handover.from_operator_id != user.pk,
            **_shift_context(handover),
        },
    )


@capability_required(Cap.HANDLE_HELPLINE)
@require_POST
def handover_acknowledge_view(request: AuthenticatedRequest, handover_uuid: UUID) -> HttpResponse:
    handover = access.get_handover(request.user, handover_uuid)
    try:
        actions.acknowledge_handover(request.user, handover)
    except actions.HelplineError as error:
        messages.error(request, str(error))
        return redirect("helpline:handover_detail", handover_uuid=handover.uuid)
    messages.success(request, _("Handover read."))
    return redirect("helpline:desk")


# --- Figures ------------------------------------------------------------------------------
@capability_required(Cap.VIEW_AGGREGATES)
@require_GET
def figures_view(request: AuthenticatedRequest) -> HttpResponse:
    """Helpline figures, counts and means with small cells suppressed: every desk of the
    network for analysts, the own agency's desk for coordinators and supervisors."""
    user = request.user
    scope = access.figures_scope(user)
    if scope is None:
        raise Http404
    try:
        days = int(request.GET.get("days", figures.DEFAULT_PERIOD))
    except ValueError:
        days = figures.DEFAULT_PERIOD
    if days not in figures.PERIODS:
        days = figures.DEFAULT_PERIOD
    organization_id = None if scope == access.NETWORK else int(scope)
    return render(
        request,
        "helpline/figures.html",
        {
            "figures": figures.desk_figures(organization_id, days),
            "periods": figures.PERIODS,
            "network": organization_id is None,
            "organization": user.organization if organization_id is not None else None,
            "supervises_desk": access.supervises_desk(user),
        },
    )
