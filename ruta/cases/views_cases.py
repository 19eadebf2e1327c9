"""The core case pages: list, intake, case page, client details, consent, risk, stage,
reassignment, closure request and reopening.

Every view needs ``Cap.VIEW_CASES`` (reassignment ``Cap.SUPERVISE_CASES``) and gets the
case through ``access`` (missing or forbidden: 404). Each GET of a page that shows case
data writes ``case.read``; each change goes through ``actions``, whose ``CaseError``
message is shown on the form with what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest
    from ruta.accounts.models import User

import importlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.audit.models import AuditEvent
from ruta.cases import actions, extensions, retention, risks
from ruta.cases.access import (
    CASE_READ,
    audit_case_read,
    audit_list_read,
    can_supervise,
    get_case,
    read_case,
    visible_cases,
)
from ruta.cases.actions import CaseError
from ruta.cases.forms_cases import (
    ALL,
    CaseFilterForm,
    ClientForm,
    ClosureForm,
    ConsentForm,
    IntakeForm,
    ReassignForm,
    ReopenForm,
    RiskForm,
    StageForm,
    WithdrawConsentForm,
)
from ruta.cases.forms_exports import CaseListExportForm
from ruta.cases.models import (
    STAGE_ORDER,
    WG_DOMAINS,
    ApprovalState,
    Case,
    CaseStatus,
    Client,
    Consent,
    ConsentPurpose,
    DocumentType,
    RiskLevel,
    Stage,
    StorageChoice,
    WGDifficulty,
)
from ruta.cases.work import needing_attention
from ruta.lib.geo import country_name, language_names
from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, capability_required, user_can
from ruta.places.models import AdminArea
from ruta.ui.forms import error_summary

PER_PAGE = 50
READERS_SHOWN = 20
RECORDS_SECTIONS = "cases/records/_sections.html"
CASE_APPROVALS = "cases/work/_case_approvals.html"

GET_POST = require_http_methods(["GET", "POST"])


def _language() -> str:
    return (get_language() or "es")[:2]


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", kwargs={"case_uuid": case.uuid})


def _records_context(case: Case) -> dict[str, Any]:
    """What the records helper's sections need (``views_records.records_context``), if present."""
    try:
        module = importlib.import_module("ruta.cases.views_records")
    except ImportError:
        return {}
    builder = getattr(module, "records_context", None)
    return dict(builder(case)) if callable(builder) else {}


def _optional_template(name: str) -> str | None:
    """``name`` when another part of the app ships it, else None (the page still renders)."""
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return None
    return name


# --- List -----------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_GET
def case_list_view(request: AuthenticatedRequest) -> HttpResponse:
    """The caseload, urgent first then most recent. No client names: shared screens."""
    user = request.user
    supervisor = user_can(user, Cap.SUPERVISE_CASES)
    form = CaseFilterForm(request.GET, user=user, supervisor=supervisor)
    cases = visible_cases(user)
    status = form.value("status") or CaseStatus.OPEN
    if status != ALL:
        cases = cases.filter(status=status)
    for name, lookup in (("stage", "stage"), ("risk", "risk_level"), ("case_type", "case_type")):
        if form.value(name):
            cases = cases.filter(**{lookup: form.value(name)})
    if supervisor and form.value("caseworker"):
        cases = cases.filter(caseworker=form.value("caseworker"))
    cases = needing_attention(cases, form.value("attention"), timezone.localdate())
    code = (form.value("q") or "").strip()
    if code:
        cases = cases.filter(code__icontains=code)
    cases = (
        cases.select_related("caseworker")
        .defer("risk_reason")
        .annotate(
            urgent_first=SqlCase(
                When(risk_level=RiskLevel.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("urgent_first", "-opened_on", "-id")
    )
    page = paginate(request, cases, per_page=PER_PAGE)
    shown = list(page)
    audit_list_read(request, "case_list", shown)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "cases": shown,
            "query": querystring_without_page(request),
            "filtered": any(key != "page" for key in request.GET),
            "supervisor": supervisor,
            "export_form": CaseListExportForm(auto_id="export_%s") if supervisor else None,
        },
    )


# --- Intake ---------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@GET_POST
def case_create_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    supervisor = user_can(user, Cap.SUPERVISE_CASES)
    duplicate = False
    if request.method == "POST":
        form = IntakeForm(request.POST, user=user, supervisor=supervisor)
        if form.is_valid():
            data = form.cleaned_data
            number = data.get("document_number") or ""
            duplicate = actions.duplicate_client_exists(user.organization_id, number)
            if duplicate and not data.get("confirm_duplicate"):
                form.add_error(
                    "confirm_duplicate",
                    _("Tick the box to open the case anyway, or check with your supervisor."),
                )
            else:
                try:
                    case = actions.register_case(
                        user,
                        client_fields=form.client_fields(),
                        case_type=data["case_type"],
                        risk_level=data["risk_level"],
                        risk_reason=data.get("risk_reason") or "",
                        caseworker=data.get("caseworker"),
                    )
                except CaseError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Case %(code)s is open.") % {"code": case.code})
                    return redirect(case_url(case))
    else:
        form = IntakeForm(user=user, supervisor=supervisor)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "errors": error_summary(form), "duplicate": duplicate},
    )


# --- Case page ------------------------------------------------------------------------
def _stepper(case: Case) -> list[dict[str, Any]]:
    current = STAGE_ORDER.index(case.stage)
    return [
        {
            "value": value,
            "label": label,
            "number": index + 1,
            "state": "done" if index < current else "current" if index == current else "todo",
        }
        for index, (value, label) in enumerate(Stage.choices)
    ]


# Where on the case page each next step's button sits (the button itself turns primary).
STEP_ANCHORS = {
    "consent": "consent",
    "assessment": "records-assessment",
    "approval": "",
    "plan": "records-plan",
    "follow_up": "records-follow-ups",
    "stage": "case-actions",
    "closure": "case-actions",
}


def _step(key: str, label: str, url: str) -> dict[str, str]:
    return {"key": key, "label": label, "url": url, "anchor": STEP_ANCHORS[key]}


def _approval_step(kind: str, record: Any, what: str) -> dict[str, Any]:
    label = _("Request approval: %(what)s") % {"what": what}
    anchor = "records-assessment" if kind == "assessment" else "records-plan"
    return {"key": "approval", "kind": kind, "label": label, "url": "", "anchor": anchor}


def _next_step(
    user: User,
    case: Case,
    consents: list[Consent],
    records: dict[str, Any] | None,
    waiting: bool,
) -> dict[str, Any] | None:
    """The one thing to do next for the case's current stage: the page's primary button.

    When the stage's own record is written, its caseworker asks for approval (a draft or
    returned record); once asked or approved, the next step is moving the case on; after
    a follow-up, requesting closure (which the closure page checks for open risks). None
    for a case that is not open, or whose closure waits for a supervisor.
    """
    if not case.is_open or case.anonymised_at or waiting:
        return None
    uuid = case.uuid
    mine = case.caseworker_id == user.pk
    unasked = (ApprovalState.DRAFT, ApprovalState.RETURNED, ApprovalState.WITHDRAWN)
    move_on = _step(
        "stage", str(_("Move the case to the next stage")), reverse_url("stage_edit", uuid)
    )
    stage = case.stage
    if stage == Stage.INTAKE:
        if not any(c.purpose == ConsentPurpose.SERVICES and c.is_active for c in consents):
            url = reverse_url("consent_create", uuid) + f"?purpose={ConsentPurpose.SERVICES}"
            return _step("consent", str(_("Record the consent to receive services")), url)
        if records is not None and records.get("assessment"):
            return move_on
        return _step(
            "assessment", str(_("Write the assessment")), reverse_url("assessment_create", uuid)
        )
    if stage == Stage.ASSESSMENT:
        assessment = records.get("assessment") if records is not None else None
        if assessment is not None and mine and assessment.state in unasked:
            return _approval_step("assessment", assessment, str(_("Assessment")))
        if assessment is not None:
            return move_on
        return _step(
            "assessment", str(_("Write the assessment")), reverse_url("assessment_create", uuid)
        )
    if stage == Stage.ACTION_PLAN:
        plan = records.get("plan") if records is not None else None
        if plan is not None and records and records.get("action_count"):
            if mine and plan.state in unasked:
                return _approval_step("action_plan", plan, str(_("Action plan")))
            return move_on
        return _step("plan", str(_("Make the action plan")), reverse_url("plan", uuid))
    if stage == Stage.IMPLEMENTATION:
        return _step("plan", str(_("Work through the plan's actions")), reverse_url("plan", uuid))
    if stage == Stage.FOLLOW_UP and not (records and records.get("follow_ups")):
        return _step("follow_up", str(_("Add a follow-up")), reverse_url("follow_up_create", uuid))
    return _step("closure", str(_("Request closure")), reverse_url("closure_create", uuid))


def reverse_url(name: str, case_uuid: UUID) -> str:
    return reverse(f"cases:{name}", kwargs={"case_uuid": case_uuid})


def consent_rows(consents: list[Consent]) -> list[dict[str, Any]]:
    """One row per purpose: active (with each active consent), withdrawn or missing."""
    rows = []
    for purpose, label in ConsentPurpose.choices:
        mine = [consent for consent in consents if consent.purpose == purpose]
        active = [consent for consent in mine if consent.is_active]
        withdrawn = sorted(
            (consent for consent in mine if not consent.is_active),
            key=lambda consent: consent.withdrawn_at or consent.given_at,
            reverse=True,
        )
        state = "active" if active else "withdrawn" if withdrawn else "missing"
        rows.append(
            {
                "purpose": purpose,
                "label": label,
                "state": state,
                "active": active,
                "last_withdrawn": withdrawn[0] if withdrawn else None,
            }
        )
    return rows


def _language_names(codes: list[str]) -> list[str]:
    return language_names(codes, _language())


def _functioning(client: Client) -> list[dict[str, Any]]:
    """Washington Group answers with some difficulty or more, for the client card."""
    answers = client.disability or {}
    labels = dict(WGDifficulty.choices)
    return [
        {"domain": label, "answer": labels.get(answers[name], answers[name])}
        for name, label in WG_DOMAINS
        if answers.get(name) and answers[name] != WGDifficulty.NONE
    ]


def _client_facts(client: Client) -> dict[str, Any]:
    area = None
    if client.admin1:
        area = AdminArea.objects.filter(code=client.admin1).first()
    document_type = client.document_type or ""
    if document_type in DocumentType.values:
        document_type = str(DocumentType(document_type).label)
    return {
        "full_name": f"{client.given_names} {client.family_names}".strip(),
        "document_type": document_type,
        "nationality": country_name(client.nationality, _language()) if client.nationality else "",
        "admin1": area.name if area else client.admin1,
        "languages": _language_names(list(client.languages or [])),
        "functioning": _functioning(client),
    }


@capability_required(Cap.VIEW_CASES)
@require_GET
def case_detail_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    case = read_case(request, case_uuid)
    user = request.user
    supervisor = can_supervise(user, case)
    consents = list(case.consents.select_related("recipient"))
    readers = []
    if supervisor:
        readers = list(
            AuditEvent.objects.filter(object_uuid=case.uuid, action=CASE_READ)
            .only("actor_email", "occurred_at")
            .order_by("-occurred_at", "-id")[:READERS_SHOWN]
        )
    pending_closure = case.is_open and case.closures.filter(state=ApprovalState.PENDING).exists()
    pending_storage = retention.pending_storage_withdrawal(case)
    records_template = _optional_template(RECORDS_SECTIONS)
    extra = _records_context(case) if records_template else {}
    return render(
        request,
        "cases/case_detail.html",
        {
            **extra,
            "case": case,
            "client": case.client,
            "facts": _client_facts(case.client),
            "stages": _stepper(case),
            "consent_rows": consent_rows(consents),
            "supervisor": supervisor,
            "readers": readers,
            "pending_closure": pending_closure,
            "pending_storage": pending_storage,
            "next_step": _next_step(user, case, consents, extra.get("records"), pending_closure),
            "records_sections_template": records_template,
            "case_approvals_template": _optional_template(CASE_APPROVALS),
            "case_sections": extensions.case_sections(case),
            "case_buttons": extensions.case_buttons(),
        },
    )


# --- Client details -------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@GET_POST
def client_edit_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    case = get_case(request.user, case_uuid)
    organization = case.organization
    if request.method == "POST":
        form = ClientForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                actions.update_client(request.user, case, form.client_fields())
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The person's details were saved."))
                return redirect(case_url(case))
    else:
        form = ClientForm(initial=ClientForm.initial_for(case.client), organization=organization)
    audit_case_read(request, case, what="client")
    return render(
        request,
        "cases/client_form.html",
        {"case": case, "form": form, "errors": error_summary(form)},
    )


# --- Consent --------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@GET_POST
def consent_create_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    case = get_case(request.user, case_uuid)
    client = case.client
    if request.method == "POST":
        form = ConsentForm(request.POST, client=client)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_consent(
                    request.user,
                    case,
                    purpose=data["purpose"],
                    method=data["method"],
                    given_by=data["given_by"],
                    given_at=form.given_at(),
                    child_assent=data.get("child_assent") or "",
                    recipient=data.get("recipient"),
                )
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The consent was recorded."))
                return redirect(f"{case_url(case)}#consent")
    else:
        purpose = request.GET.get("purpose")
        initial = {"purpose": purpose} if purpose in ConsentPurpose.values else {}
        form = ConsentForm(initial=initial, client=client)
    audit_case_read(request, case, what="consent")
    return render(
        request,
        "cases/consent_form.html",
        {"case": case, "client": client, "form": form, "errors": error_summary(form)},
    )


@capability_required(Cap.VIEW_CASES)
@GET_POST
def consent_withdraw_view(
    request: AuthenticatedRequest, case_uuid: UUID, consent_uuid: UUID
) -> HttpResponse:
    case = get_case(request.user, case_uuid)
    consent = case.consents.select_related("recipient").filter(uuid=consent_uuid).first()
    if consent is None:
        raise Http404
    storage = consent.purpose == ConsentPurpose.STORAGE
    if request.method == "POST":
        form = WithdrawConsentForm(request.POST, storage=storage)
        if form.is_valid():
            try:
                actions.withdraw_consent(
                    request.user,
                    consent,
                    form.cleaned_data["note"],
                    storage_choice=form.cleaned_data.get("storage_choice") or "",
                )
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "The consent was withdrawn. A supervisor of your agency now carries out "
                        "the person's choice for their data."
                    )
                    if storage
                    else _(
                        "The consent was withdrawn. Nothing more is shared under it from now on."
                    ),
                )
                return redirect(f"{case_url(case)}#consent")
    else:
        form = WithdrawConsentForm(storage=storage)
    audit_case_read(request, case, what="consent")
    return render(
        request,
        "cases/consent_withdraw.html",
        {"case": case, "consent": consent, "form": form, "errors": error_summary(form)},
    )


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def storage_choice_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    """A supervisor carries out the survivor's choice after a withdrawal of the storage
    consent: erase the case (back to the case list) or anonymise it (back to the case)."""
    case = get_case(request.user, case_uuid)
    try:
        choice = retention.carry_out_storage_choice(request.user, case)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect(case_url(case))
    if choice == StorageChoice.ERASE:
        messages.success(
            request, _("The case and all its records were erased, as the person asked.")
        )
        return redirect("cases:case_list")
    messages.success(
        request,
        _(
            "The case was anonymised, as the person asked: their identity and narratives were erased."
        ),
    )
    return redirect(case_url(case))


# --- Risk, stage, reassignment, closure, reopening -------------------------------------
# Each is one small form on one page: show it (an audited read), run one action on POST,
# show the action's refusal on the form or go back to the case with a message.
FormMaker = Callable[[Case, Any], Any]
StepRunner = Callable[["AuthenticatedRequest", Case, dict[str, Any]], Any]


def _step_view(
    request: AuthenticatedRequest,
    case_uuid: UUID,
    *,
    action_name: str,
    what: str,
    make_form: FormMaker,
    run: StepRunner,
    texts: dict[str, Any],
    extra: Callable[[Case], dict[str, Any]] | None = None,
) -> HttpResponse:
    case = get_case(request.user, case_uuid)
    shown = extra(case) if extra else {}
    if request.method == "POST":
        form = make_form(case, request.POST)
        if form.is_valid():
            try:
                run(request, case, form.cleaned_data)
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, texts["success"])
                return redirect(case_url(case))
    else:
        form = make_form(case, None)
    audit_case_read(request, case, what=what)  # the form, new or shown again, shows the case
    return render(
        request,
        "cases/case_step_form.html",
        {
            "case": case,
            "form": form,
            "errors": error_summary(form),
            "title": texts["title"],
            "lead": texts["lead"],
            "submit": texts["submit"],
            "action": reverse(f"cases:{action_name}", kwargs={"case_uuid": case.uuid}),
            **shown,
        },
    )


@capability_required(Cap.VIEW_CASES)
@GET_POST
def risk_edit_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    return _step_view(
        request,
        case_uuid,
        action_name="risk_edit",
        what="risk",
        make_form=lambda case, data: RiskForm(
            data, initial={"risk_level": case.risk_level, "risk_reason": case.risk_reason_text}
        ),
        run=lambda request, case, data: actions.set_risk(
            request.user, case, data["risk_level"], data.get("risk_reason") or ""
        ),
        texts={
            "success": _("The risk level was saved."),
            "title": _("Change the risk level"),
            "lead": _("Raising the risk to urgent notifies the supervisors at once."),
            "submit": _("Save the risk level"),
        },
    )


@capability_required(Cap.VIEW_CASES)
@GET_POST
def stage_edit_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    return _step_view(
        request,
        case_uuid,
        action_name="stage_edit",
        what="stage",
        make_form=lambda case, data: StageForm(data, initial={"stage": case.stage}),
        run=lambda request, case, data: actions.set_stage(request.user, case, data["stage"]),
        texts={
            "success": _("The stage was saved."),
            "title": _("Change the stage"),
            "lead": _("The stage moves forward by itself as you record the work; correct it here."),
            "submit": _("Save the stage"),
        },
    )


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def reassign_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    return _step_view(
        request,
        case_uuid,
        action_name="reassign",
        what="reassign",
        make_form=lambda case, data: ReassignForm(
            data,
            initial={"caseworker": case.caseworker.uuid},
            organization_id=case.organization_id,
        ),
        run=lambda request, case, data: actions.reassign(request.user, case, data["caseworker"]),
        texts={
            "success": _("The case was reassigned."),
            "title": _("Reassign the case"),
            "lead": _("The new caseworker is notified. The change is recorded in the audit log."),
            "submit": _("Reassign"),
        },
    )


@capability_required(Cap.VIEW_CASES)
@GET_POST
def closure_create_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    return _step_view(
        request,
        case_uuid,
        action_name="closure_create",
        what="closure",
        make_form=lambda case, data: ClosureForm(data, risks_listed=bool(risks.open_risks(case))),
        run=lambda request, case, data: actions.request_closure(
            request.user,
            case,
            reason=data["reason"],
            satisfaction=data["satisfaction"],
            note=data.get("note") or "",
        ),
        texts={
            "success": _(
                "The closure was requested. The case closes when a supervisor approves it."
            ),
            "title": _("Request the closure of the case"),
            "lead": _("A supervisor approves the closure. Until then the case stays open."),
            "submit": _("Request closure"),
        },
        extra=_closure_risks,
    )


def _closure_risks(case: Case) -> dict[str, Any]:
    """The open risks the closure request page lists above the form."""
    found = risks.open_risks(case)
    return {"open_risks": found, "urgent_risks": risks.blocking(found), "risks_shown": True}


@capability_required(Cap.VIEW_CASES)
@GET_POST
def reopen_view(request: AuthenticatedRequest, case_uuid: UUID) -> HttpResponse:
    return _step_view(
        request,
        case_uuid,
        action_name="reopen",
        what="reopen",
        make_form=lambda case, data: ReopenForm(data),
        run=lambda request, case, data: actions.reopen_case(request.user, case, data["reason"]),
        texts={
            "success": _("The case was reopened."),
            "title": _("Reopen the case"),
            "lead": _("The case goes back to follow-up. Say why, for the record."),
            "submit": _("Reopen the case"),
        },
    )
