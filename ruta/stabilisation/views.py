"""Cash-transfer stabilisation pages under ``/estabilizacion/``. Thin views: every change
is an ``actions`` function, every record is reached through ``access``. The programme pages
need ``Cap.HANDLE_HELPLINE`` and the programme's agency (everybody else 404); the figures
``Cap.VIEW_STABILISATION``. A page showing a beneficiary's name or phone is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ruta.helpline.figures import threshold
from ruta.helpline.forms import ContactForm
from ruta.lib.permissions import Cap, capability_required
from ruta.practices.access import visible_practices
from ruta.stabilisation import access, actions, figures, imports
from ruta.stabilisation.forms import ImportForm, NeedsCheckForm, PaymentForm, ProgrammeForm
from ruta.stabilisation.models import (
    Beneficiary,
    CheckOutcome,
    Need,
    NeedsCheck,
    Programme,
    QueueEntry,
)
from ruta.ui.forms import error_summary

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

GET_POST = require_http_methods(["GET", "POST"])
DESK = Cap.HANDLE_HELPLINE


def _beneficiary_url(beneficiary: Beneficiary) -> str:
    return reverse("stabilisation:beneficiary", kwargs={"beneficiary_uuid": beneficiary.uuid})


@capability_required(DESK)
@require_GET
def programme_list_view(request: AuthenticatedRequest) -> HttpResponse:
    programmes = access.visible_programmes(request.user).annotate(
        people=Count("beneficiaries", distinct=True),
        queued=Count(
            "beneficiaries__queue_entries",
            filter=Q(beneficiaries__queue_entries__left_on__isnull=True),
            distinct=True,
        ),
    )
    return render(
        request,
        "stabilisation/programmes.html",
        {"programmes": list(programmes), "supervisor": access.supervises_team(request.user)},
    )


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def programme_form_view(
    request: AuthenticatedRequest, programme_uuid: UUID | None = None
) -> HttpResponse:
    """A new programme, or a programme's data, by a supervisor of the agency's desk."""
    if not access.supervises_team(request.user):
        raise Http404
    programme = None
    if programme_uuid is not None:
        programme = access.get_programme(request.user, programme_uuid)
    form = ProgrammeForm(
        request.POST or None, instance=programme, practices=visible_practices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        saved = actions.save_programme(request.user, form)
        messages.success(request, _("Programme saved."))
        return redirect("stabilisation:programme", programme_uuid=saved.uuid)
    return render(
        request,
        "stabilisation/programme_form.html",
        {"form": form, "programme": programme, "errors": error_summary(form)},
        status=400 if request.method == "POST" else 200,
    )


@capability_required(DESK)
@require_GET
def programme_detail_view(request: AuthenticatedRequest, programme_uuid: UUID) -> HttpResponse:
    programme = access.get_programme(request.user, programme_uuid)
    found = figures.compute(Programme.objects.filter(pk=programme.pk))
    return render(
        request,
        "stabilisation/programme.html",
        {
            "programme": programme,
            "figures": found,
            "people": programme.beneficiaries.count(),
            "supervisor": access.supervises_team(request.user),
        },
    )


@capability_required(DESK)
@require_GET
def queue_view(request: AuthenticatedRequest, programme_uuid: UUID) -> HttpResponse:
    """Who is waiting, by pseudonymous reference and coded profile only (no name here)."""
    programme = access.get_programme(request.user, programme_uuid)
    today = timezone.localdate()
    entries = list(
        QueueEntry.objects.filter(beneficiary__programme=programme, left_on__isnull=True)
        .select_related("beneficiary", "payment")
        .annotate(
            contact_count=Count("beneficiary__stabilisation_contacts", distinct=True),
            checked=Exists(NeedsCheck.objects.filter(beneficiary_id=OuterRef("beneficiary_id"))),
        )
        .order_by("payment__expected_on", "id")
    )
    for entry in entries:
        entry.days_late = (today - entry.payment.expected_on).days  # type: ignore[attr-defined]
    return render(request, "stabilisation/queue.html", {"programme": programme, "entries": entries})


@capability_required(DESK)
@GET_POST
def import_view(request: AuthenticatedRequest, programme_uuid: UUID) -> HttpResponse:
    programme = access.get_programme(request.user, programme_uuid)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = imports.import_payments(
                    request.user, programme, upload.name or "", upload.read()
                )
            except actions.StabilisationError as error:
                form.add_error("file", str(error))
            else:
                if result.ok:
                    messages.success(
                        request,
                        _(
                            "Import done: %(payments)s payments, %(new)s new beneficiaries; "
                            "%(entered)s entered the queue, %(left)s left it."
                        )
                        % {
                            "payments": result.payments,
                            "new": result.new_people,
                            "entered": result.entered,
                            "left": result.left,
                        },
                    )
                    return redirect("stabilisation:queue", programme_uuid=programme.uuid)
    return render(
        request,
        "stabilisation/import.html",
        {"programme": programme, "form": form, "result": result, "errors": error_summary(form)},
        status=status,
    )


@capability_required(DESK)
@require_GET
def beneficiary_view(request: AuthenticatedRequest, beneficiary_uuid: UUID) -> HttpResponse:
    beneficiary = access.get_beneficiary(request.user, beneficiary_uuid)
    access.audit_beneficiary_read(request, beneficiary)
    needs = dict(Need.choices)
    checks = list(beneficiary.needs_checks.select_related("checked_by"))
    for check in checks:
        check.need_labels = [str(needs.get(code, code)) for code in check.needs]  # type: ignore[attr-defined]
    return render(
        request,
        "stabilisation/beneficiary.html",
        {
            "beneficiary": beneficiary,
            "programme": beneficiary.programme,
            "payments": list(beneficiary.payments.all()),
            "entries": list(beneficiary.queue_entries.select_related("payment")),
            "checks": checks,
            "links": list(beneficiary.stabilisation_contacts.select_related("contact__operator")),
            "open_statuses": actions.OPEN_STATUSES,
            "payment_form": PaymentForm(),
        },
    )


@capability_required(DESK)
@GET_POST
def check_view(request: AuthenticatedRequest, beneficiary_uuid: UUID) -> HttpResponse:
    beneficiary = access.get_beneficiary(request.user, beneficiary_uuid)
    form = NeedsCheckForm(
        request.POST or None,
        initial={"checked_on": timezone.localdate(), "outcome": CheckOutcome.APPLIES},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_check(
                request.user,
                beneficiary,
                outcome=form.cleaned_data["outcome"],
                needs=form.cleaned_data["needs"],
                checked_on=form.cleaned_data["checked_on"],
            )
        except actions.StabilisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Needs check saved."))
            return redirect(_beneficiary_url(beneficiary))
    return render(
        request,
        "stabilisation/check_form.html",
        {"beneficiary": beneficiary, "form": form, "errors": error_summary(form)},
        status=400 if request.method == "POST" else 200,
    )


@capability_required(DESK)
@GET_POST
def contact_view(request: AuthenticatedRequest, beneficiary_uuid: UUID) -> HttpResponse:
    """A stabilisation contact, with the helpline's contact form; the PFA steps follow on
    the helpline's own page."""
    beneficiary = access.get_beneficiary(request.user, beneficiary_uuid)
    organization = beneficiary.programme.organization
    admin1 = request.POST.get("admin1", "") if request.method == "POST" else beneficiary.admin1
    form = ContactForm(
        request.POST or None,
        organization=organization,
        admin1=admin1,
        initial=actions.contact_profile(beneficiary),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = actions.record_contact(
                request.user,
                beneficiary,
                reasons=form.cleaned_data["reasons"],
                phone=form.cleaned_data["phone"],
                **form.contact_fields(),
            )
        except actions.StabilisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Stabilisation contact %(ref)s saved. Record the psychological first aid.")
                % {"ref": contact.reference},
            )
            return redirect(
                reverse("helpline:contact_first_aid", kwargs={"contact_uuid": contact.uuid})
            )
    return render(
        request,
        "stabilisation/contact_form.html",
        {"beneficiary": beneficiary, "form": form, "errors": error_summary(form)},
        status=400 if request.method == "POST" else 200,
    )


@capability_required(DESK)
@require_http_methods(["POST"])
def payment_view(request: AuthenticatedRequest, payment_uuid: UUID) -> HttpResponse:
    payment = access.get_payment(request.user, payment_uuid)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            actions.record_payment(
                request.user,
                payment,
                status=form.cleaned_data["status"],
                paid_on=form.cleaned_data["paid_on"],
                amount=form.cleaned_data["amount"],
            )
        except actions.StabilisationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Payment saved."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(_beneficiary_url(payment.beneficiary))


@capability_required(Cap.VIEW_STABILISATION)
@require_GET
def figures_view(request: AuthenticatedRequest) -> HttpResponse:
    """BP5_PC's figures: no personal data; small breakdown cells suppressed."""
    programmes = access.figures_programmes(request.user)
    chosen = request.GET.get("programme", "")
    selected = None
    if chosen:
        selected = programmes.filter(uuid=chosen).first() if _is_uuid(chosen) else None
        if selected is not None:
            programmes = programmes.filter(pk=selected.pk)
    found = figures.compute(programmes)
    profile_titles = {
        "sex": _("By sex"),
        "age_band": _("By age band"),
        "population_type": _("By population type"),
        "disability": _("By disability"),
    }
    return render(
        request,
        "stabilisation/figures.html",
        {
            "figures": found,
            "all_programmes": list(access.figures_programmes(request.user)),
            "selected": selected,
            "territory_rows": figures.shown_rows(found.by_territory),
            "profile_rows": [
                (profile_titles[name], figures.shown_rows(rows))
                for name, rows in found.by_profile.items()
            ],
            "threshold": threshold(),
        },
    )


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
