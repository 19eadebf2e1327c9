"""Every change to a case: one function per step, atomic, audited, notifying on commit.

Functions take the acting user first and raise ``CaseError`` (a translated message for
the person) when the step is not allowed. Access (may this user see this case at all)
is checked by the caller through ``access.get_case``; role rules for a step (only a
supervisor approves) are checked here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record
from ruta.cases import classifier, extensions, instruments
from ruta.cases.access import supervisors_of
from ruta.cases.models import (
    ASSENT_BANDS,
    RISK_ORDER,
    STAGE_ORDER,
    ActionPlan,
    ActionStatus,
    ApprovalKind,
    ApprovalRequest,
    ApprovalState,
    Assent,
    Assessment,
    Case,
    CaseSequence,
    CaseStatus,
    CaseType,
    Client,
    Closure,
    ClosureReason,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    Decision,
    FollowUp,
    FollowUpKind,
    Goal,
    Incident,
    MeasureResult,
    NeedDomain,
    PlanAction,
    RiskLevel,
    SafetyPlan,
    Satisfaction,
    Stage,
    age_band_for,
    has_disability,
)
from ruta.cases.work import refresh_case_due_dates
from ruta.lib.crypto import keyed_hash
from ruta.lib.permissions import Cap, Role, user_can
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind


class CaseError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


class ConsentRequired(CaseError):
    pass


# --- Helpers ---------------------------------------------------------------------------
def normalise_document(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def document_hash(number: str) -> str:
    normalised = normalise_document(number)
    return keyed_hash(normalised) if normalised else ""


def duplicate_client_exists(organization_id: int, document_number: str) -> bool:
    """True when the agency already has a client with this document (compared by HMAC)."""
    digest = document_hash(document_number)
    return (
        bool(digest)
        and Client.objects.filter(organization_id=organization_id, document_hash=digest).exists()
    )


def _audit(event: str, actor: User, case: Case, /, **details: Any) -> None:
    """The trail names the case, the event and ids or field names: never a clinical,
    incident or narrative value (scores, risk levels, incident types, reasons), which only
    those who may see the case read, in the case itself."""
    record(event, actor=actor, obj=case, organization=case.organization, details=details)


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise CaseError(_("This case is not open. Reopen it before changing it."))


def _require_team(actor: User, case: Case) -> None:
    """Caseworker of the case or a supervisor of its organization."""
    same_org = actor.organization_id == case.organization_id
    if not (same_org and user_can(actor, Cap.VIEW_CASES)):
        raise CaseError(_("You are not on this case's team."))
    if actor.role == Role.CASEWORKER and case.caseworker_id != actor.pk:
        raise CaseError(_("You are not on this case's team."))


def _require_supervisor(actor: User, case: Case) -> None:
    if not (user_can(actor, Cap.SUPERVISE_CASES) and actor.organization_id == case.organization_id):
        raise CaseError(_("Only a supervisor of this agency can do this."))


def _advance(case: Case, stage: str) -> None:
    """Move the case forward to ``stage``; never backwards."""
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(case.stage):
        case.stage = stage
        case.save(update_fields=["stage", "updated_at"])


# --- Intake ---------------------------------------------------------------------------
def _next_code(organization: Any, year: int) -> str:
    sequence, _created = CaseSequence.objects.select_for_update().get_or_create(
        organization=organization, year=year
    )
    CaseSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    prefix = (organization.acronym or "CASE").upper().replace(" ", "")[:12]
    return f"{prefix}-{year}-{sequence.last:05d}"


CLIENT_FIELDS = (
    "given_names",
    "family_names",
    "alias",
    "phone",
    "address",
    "document_type",
    "document_number",
    "sex",
    "gender_identity",
    "age",
    "age_band",
    "nationality",
    "population_type",
    "disability",
    "languages",
    "admin1",
    "safe_to_call",
    "safe_to_message",
    "safe_times",
    "code_word",
)


NULLABLE_CLIENT_FIELDS = {"age", "safe_to_call", "safe_to_message"}


def _apply_client_fields(client: Client, fields: dict[str, Any]) -> None:
    for name in CLIENT_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if value is None and name not in NULLABLE_CLIENT_FIELDS:
            value = {"disability": {}, "languages": []}.get(name, "")
        setattr(client, name, value)
    if client.age is not None:
        client.age_band = age_band_for(client.age)
    client.document_hash = document_hash(client.document_number or "")
    client.has_disability = has_disability(client.disability or {})


# A high or urgent risk level always says why (the supervisor and any later caseworker
# read it); the reason is encrypted at rest.
RISK_REASON_NEEDED = frozenset({RiskLevel.HIGH, RiskLevel.URGENT})


def _require_risk_reason(level: str, reason: str) -> None:
    if level in RISK_REASON_NEEDED and not reason.strip():
        raise CaseError(_("Say why the risk is high or urgent."))


@transaction.atomic
def register_case(
    actor: User,
    *,
    client_fields: dict[str, Any],
    case_type: str,
    risk_level: str = RiskLevel.LOW,
    risk_reason: str = "",
    caseworker: Any = None,
    opened_on: dt.date | None = None,
) -> Case:
    """Register a client and open a case for them in the actor's organization."""
    if not user_can(actor, Cap.VIEW_CASES):
        raise CaseError(_("Only caseworkers and supervisors open cases."))
    caseworker = caseworker or actor
    if caseworker.organization_id != actor.organization_id or caseworker.role not in (
        Role.CASEWORKER,
        Role.SUPERVISOR,
    ):
        raise CaseError(_("Cases can only be assigned to caseworkers of your agency."))
    if actor.role == Role.CASEWORKER and caseworker.pk != actor.pk:
        raise CaseError(_("Only a supervisor can assign a case to someone else."))
    if case_type not in CaseType.values or risk_level not in RiskLevel.values:
        raise CaseError(_("Choose a case type and a risk level from the list."))
    _require_risk_reason(risk_level, risk_reason)
    client = Client(organization=actor.organization)
    _apply_client_fields(client, client_fields)
    client.save()
    opened_on = opened_on or timezone.localdate()
    supervisor = supervisors_of(actor.organization_id).order_by("pk").first()
    case = Case.objects.create(
        code=_next_code(actor.organization, opened_on.year),
        organization=actor.organization,
        client=client,
        case_type=case_type,
        risk_level=risk_level,
        risk_reason=risk_reason,
        caseworker=caseworker,
        supervisor=actor if actor.role == Role.SUPERVISOR else supervisor,
        opened_on=opened_on,
        created_by=actor,
    )
    _audit("case.opened", actor, case)
    if caseworker.pk != actor.pk:
        notify([caseworker], NotificationKind.ASSIGNED, case)
    if risk_level == RiskLevel.URGENT:
        notify(supervisors_of(case.organization_id), NotificationKind.URGENT_RISK, case)
    return case


@transaction.atomic
def update_client(actor: User, case: Case, fields: dict[str, Any]) -> Client:
    _require_team(actor, case)
    client = case.client
    _apply_client_fields(client, fields)
    client.save()
    _audit("case.client_updated", actor, case, fields=sorted(set(fields) & set(CLIENT_FIELDS)))
    return client


@transaction.atomic
def set_risk(actor: User, case: Case, level: str, reason: str) -> Case:
    _require_team(actor, case)
    _require_open(case)
    if level not in RiskLevel.values:
        raise CaseError(_("Choose a risk level from the list."))
    _require_risk_reason(level, reason)
    raised = RISK_ORDER.index(level) > case.risk_rank
    case.risk_level, case.risk_reason = level, reason
    case.save(update_fields=["risk_level", "risk_reason", "updated_at"])
    _audit("case.risk_changed", actor, case)
    if raised and level == RiskLevel.URGENT:
        notify(supervisors_of(case.organization_id), NotificationKind.URGENT_RISK, case)
    return case


@transaction.atomic
def set_stage(actor: User, case: Case, stage: str) -> Case:
    _require_team(actor, case)
    _require_open(case)
    if stage not in STAGE_ORDER or stage == Stage.CLOSURE:
        raise CaseError(_("Choose a stage from the list. Closing a case needs a closure request."))
    previous = case.stage
    case.stage = stage
    case.save(update_fields=["stage", "updated_at"])
    _audit("case.stage_changed", actor, case, previous=previous, stage=stage)
    return case


@transaction.atomic
def update_case(
    actor: User,
    case: Case,
    *,
    risk_level: str | None = None,
    risk_reason: str | None = None,
    stage: str | None = None,
    client_fields: dict[str, Any] | None = None,
) -> Case:
    """Change the risk (a level or reason not given stays), the stage and the client's
    fields together: all of it is saved, or nothing."""
    if risk_level is not None or risk_reason is not None:
        set_risk(
            actor,
            case,
            case.risk_level if risk_level is None else risk_level,
            case.risk_reason if risk_reason is None else risk_reason,
        )
    if stage is not None:
        set_stage(actor, case, stage)
    if client_fields:
        update_client(actor, case, client_fields)
    return case


@transaction.atomic
def reassign(actor: User, case: Case, caseworker: Any) -> Case:
    _require_supervisor(actor, case)
    if (
        caseworker.organization_id != case.organization_id
        or caseworker.role
        not in (
            Role.CASEWORKER,
            Role.SUPERVISOR,
        )
        or not caseworker.is_active
    ):
        raise CaseError(_("Cases can only be assigned to caseworkers of your agency."))
    previous = case.caseworker
    case.caseworker = caseworker
    case.save(update_fields=["caseworker", "updated_at"])
    _audit("case.reassigned", actor, case, previous=str(previous.uuid), to=str(caseworker.uuid))
    notify([caseworker], NotificationKind.ASSIGNED, case)
    return case


# --- Consent --------------------------------------------------------------------------
def active_consents(case: Case, purpose: str) -> list[Consent]:
    return [c for c in case.consents.all() if c.purpose == purpose and c.is_active]


def has_consent(case: Case, purpose: str, recipient: Any = None) -> bool:
    consents = Consent.objects.filter(case=case, purpose=purpose, withdrawn_at__isnull=True)
    if purpose == ConsentPurpose.SHARE:
        if recipient is None:
            return False
        consents = consents.filter(recipient=recipient)
    return consents.exists()


def require_consent(case: Case, purpose: str, recipient: Any = None) -> None:
    if has_consent(case, purpose, recipient):
        return
    if purpose == ConsentPurpose.SHARE:
        raise ConsentRequired(
            _(
                "There is no active consent to share information with %(org)s. Record the "
                "survivor's consent for this organization first."
            )
            % {"org": getattr(recipient, "name", "")}
        )
    label = ConsentPurpose(purpose).label
    raise ConsentRequired(
        _("There is no active consent for “%(purpose)s”. Record the consent first.")
        % {"purpose": label}
    )


@transaction.atomic
def record_consent(
    actor: User,
    case: Case,
    *,
    purpose: str,
    method: str,
    given_by: str = ConsentGiver.SELF,
    given_at: dt.datetime | None = None,
    child_assent: str = "",
    recipient: Any = None,
) -> Consent:
    _require_team(actor, case)
    _require_open(case)
    if purpose == ConsentPurpose.SHARE and recipient is None:
        raise CaseError(_("Consent to share information must name the receiving organization."))
    if purpose != ConsentPurpose.SHARE:
        recipient = None
    band = case.client.age_band
    if band == "0-5" and given_by != ConsentGiver.CAREGIVER:
        raise CaseError(_("For a child under 6, a parent or caregiver gives consent."))
    if band in ASSENT_BANDS:
        if given_by != ConsentGiver.CAREGIVER:
            raise CaseError(_("For a child under 15, a parent or caregiver gives consent."))
        if child_assent not in (Assent.GIVEN, Assent.REFUSED):
            raise CaseError(_("Ask for the child's assent and record the answer."))
        if child_assent == Assent.REFUSED:
            raise CaseError(
                _(
                    "The child did not agree. Do not go ahead: talk with the child and the "
                    "caregiver, and with your supervisor."
                )
            )
    elif band == "0-5":
        child_assent = Assent.NOT_ASKED
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        recipient=recipient,
        given_by=given_by,
        method=method,
        given_at=given_at or timezone.now(),
        child_assent=child_assent,
        recorded_by=actor,
    )
    _audit(
        "case.consent_recorded",
        actor,
        case,
        consent=str(consent.uuid),
        purpose=purpose,
        recipient=str(recipient.uuid) if recipient else "",
    )
    return consent


@transaction.atomic
def withdraw_consent(actor: User, consent: Consent, note: str = "") -> Consent:
    case = consent.case
    _require_team(actor, case)
    if consent.withdrawn_at is not None:
        raise CaseError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    _audit(
        "case.consent_withdrawn", actor, case, consent=str(consent.uuid), purpose=consent.purpose
    )
    if consent.purpose == ConsentPurpose.SHARE:
        # What relied on this consent ends now (referrals register their revocation).
        extensions.share_consent_withdrawn(actor, consent)
    return consent


def _require_services_consent(case: Case) -> None:
    require_consent(case, ConsentPurpose.SERVICES)


# --- Incident ------------------------------------------------------------------------
@transaction.atomic
def record_incident(
    actor: User,
    case: Case,
    *,
    answers: dict[str, bool | None],
    confirmed_type: str,
    date: dt.date,
    setting: str,
    perpetrator: str,
    admin1: str = "",
    country: str = "PE",
    reported_elsewhere: bool | None = None,
    date_is_estimate: bool = False,
    description: str = "",
) -> Incident:
    _require_team(actor, case)
    _require_open(case)
    _require_services_consent(case)
    if case.case_type != CaseType.GBV:
        raise CaseError(_("Incidents are recorded on gender-based violence cases."))
    step = classifier.classify(answers)
    if not step.finished:
        raise CaseError(_("Answer the classification questions in order before confirming."))
    if step.not_gbv:
        raise CaseError(
            _(
                "With these answers the incident is none of the six GBVIMS types. It is not "
                "recorded as a GBV incident; note what happened in a follow-up instead."
            )
        )
    if confirmed_type != step.proposed_type:
        raise CaseError(
            _(
                "The type must follow the answers. If it does not fit, review the answers "
                "with your supervisor."
            )
        )
    if date > timezone.localdate():
        raise CaseError(_("The date of the incident cannot be in the future."))
    incident = Incident.objects.create(
        case=case,
        date=date,
        date_is_estimate=date_is_estimate,
        admin1=admin1,
        country=country,
        setting=setting,
        perpetrator=perpetrator,
        reported_elsewhere=reported_elsewhere,
        gbv_type=confirmed_type,
        proposed_type=step.proposed_type or "",
        classifier_answers={k: v for k, v in answers.items() if v is not None},
        description=description,
        recorded_by=actor,
    )
    _audit("case.incident_recorded", actor, case, incident=str(incident.uuid))
    return incident


# --- Assessment ---------------------------------------------------------------------
@transaction.atomic
def add_assessment(
    actor: User,
    case: Case,
    *,
    needs: dict[str, str],
    risk_level: str,
    narrative: str = "",
    assessed_on: dt.date | None = None,
    risk_reason: str = "",
) -> Assessment:
    _require_team(actor, case)
    _require_open(case)
    _require_services_consent(case)
    unknown = set(needs) - set(NeedDomain.values)
    if unknown:
        raise CaseError(_("Unknown need domain."))
    if risk_level != case.risk_level:
        # The reason given with the assessment, never the reason for the earlier level.
        _require_risk_reason(risk_level, risk_reason)
    assessment = Assessment.objects.create(
        case=case,
        assessed_on=assessed_on or timezone.localdate(),
        needs=needs,
        risk_level=risk_level,
        narrative=narrative,
        created_by=actor,
    )
    _audit("case.assessment_added", actor, case, assessment=str(assessment.uuid))
    if risk_level != case.risk_level:
        set_risk(actor, case, risk_level, risk_reason)
    _advance(case, Stage.ASSESSMENT)
    return assessment


# --- Action plan ---------------------------------------------------------------------
# What the supervisor approves; the status of an action (started, done) is progress, not
# a change of the plan.
PLAN_CONTENT = {"decision", "due_on", "responsible", "pros", "cons", "description"}


def _plan_changed(actor: User, case: Case, plan: ActionPlan) -> None:
    """An approval covers the plan as it was reviewed: once goals or actions change, the
    plan is a draft again and a request still waiting is withdrawn (asked for anew)."""
    waiting = case.approvals.filter(
        kind=ApprovalKind.ACTION_PLAN, target_uuid=plan.uuid, state=ApprovalState.PENDING
    )
    for approval in waiting:
        approval.state, approval.decided_at = ApprovalState.WITHDRAWN, timezone.now()
        approval.save(update_fields=["state", "decided_at"])
        _audit("case.approval_withdrawn", actor, case, approval=str(approval.uuid))
    if plan.state != ApprovalState.DRAFT:
        plan.state = ApprovalState.DRAFT
        plan.save(update_fields=["state", "updated_at"])


def plan_for(case: Case) -> ActionPlan:
    plan, _created = ActionPlan.objects.get_or_create(case=case)
    return plan


@transaction.atomic
def add_goal(actor: User, case: Case, *, need: str, description: str) -> Goal:
    _require_team(actor, case)
    _require_open(case)
    _require_services_consent(case)
    if need not in NeedDomain.values or not description.strip():
        raise CaseError(_("A goal needs a need domain and a description."))
    plan = plan_for(case)
    goal = Goal.objects.create(plan=plan, need=need, description=description)
    _plan_changed(actor, case, plan)
    _audit("case.goal_added", actor, case, goal=str(goal.uuid))
    _advance(case, Stage.ACTION_PLAN)
    return goal


@transaction.atomic
def add_plan_action(
    actor: User,
    case: Case,
    goal: Goal,
    *,
    description: str,
    responsible: str,
    due_on: dt.date | None = None,
    service: Any = None,
    pros: str = "",
    cons: str = "",
    decision: str = "undecided",
) -> PlanAction:
    _require_team(actor, case)
    _require_open(case)
    _require_services_consent(case)
    if goal.plan.case_id != case.pk:
        raise CaseError(_("This goal belongs to another case."))
    action = PlanAction.objects.create(
        goal=goal,
        case=case,
        description=description,
        responsible=responsible,
        due_on=due_on,
        service=service,
        pros=pros,
        cons=cons,
        decision=decision,
    )
    refresh_case_due_dates(case)
    _plan_changed(actor, case, goal.plan)
    _audit("case.action_added", actor, case, action=str(action.uuid))
    return action


@transaction.atomic
def update_plan_action(actor: User, action: PlanAction, **fields: Any) -> PlanAction:
    case = action.case
    _require_team(actor, case)
    _require_open(case)
    allowed = PLAN_CONTENT | {"status"}
    if set(fields) - allowed:
        raise CaseError(_("This field cannot be changed here."))
    # Only what really changes counts: a value sent again as it is changes nothing.
    fields = {name: value for name, value in fields.items() if getattr(action, name) != value}
    for name, value in fields.items():
        setattr(action, name, value)
    if "decision" in fields and fields["decision"] not in Decision.values:
        raise CaseError(_("Choose a decision from the list."))
    if "status" in fields and fields["status"] not in ActionStatus.values:
        raise CaseError(_("Choose a status from the list."))
    action.save()
    if {"status", "due_on"} & set(fields):
        refresh_case_due_dates(case)
    if PLAN_CONTENT & set(fields):
        _plan_changed(actor, case, action.goal.plan)
    _audit("case.action_updated", actor, case, action=str(action.uuid), fields=sorted(fields))
    if fields.get("status") in (ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        _advance(case, Stage.IMPLEMENTATION)
    return action


# --- Safety plan ---------------------------------------------------------------------
SAFETY_FIELDS = ("risks", "strategies", "safe_people", "safe_places", "other_numbers")


@transaction.atomic
def save_safety_plan(
    actor: User,
    case: Case,
    *,
    fields: dict[str, str],
    emergency_services: Iterable[Any] = (),
    next_review_on: dt.date | None = None,
) -> SafetyPlan:
    _require_team(actor, case)
    _require_open(case)
    _require_services_consent(case)
    plan = SafetyPlan.objects.filter(case=case).first() or SafetyPlan(case=case)
    for name in SAFETY_FIELDS:
        setattr(plan, name, fields.get(name, ""))
    plan.next_review_on = next_review_on
    plan.updated_by = actor
    plan.save()
    plan.emergency_services.set(list(emergency_services))
    _audit("case.safety_plan_saved", actor, case, plan=str(plan.uuid))
    return plan


# --- Follow-ups and measures ------------------------------------------------------------
@transaction.atomic
def add_follow_up(
    actor: User,
    case: Case,
    *,
    kind: str,
    note: str = "",
    happened_on: dt.date | None = None,
    next_contact_on: dt.date | None = None,
) -> FollowUp:
    _require_team(actor, case)
    _require_open(case)
    _require_services_consent(case)
    if kind not in FollowUpKind.values:
        raise CaseError(_("Choose a type from the list."))
    happened_on = happened_on or timezone.localdate()
    if happened_on > timezone.localdate():
        raise CaseError(
            _("A follow-up cannot be dated in the future; set the next contact instead.")
        )
    if next_contact_on and next_contact_on < happened_on:
        raise CaseError(_("The next contact must come after this one."))
    follow_up = FollowUp.objects.create(
        case=case,
        kind=kind,
        note=note,
        happened_on=happened_on,
        next_contact_on=next_contact_on,
        recorded_by=actor,
    )
    refresh_case_due_dates(case)
    _audit("case.follow_up_added", actor, case, follow_up=str(follow_up.uuid), kind=kind)
    if case.stage == Stage.IMPLEMENTATION:
        _advance(case, Stage.FOLLOW_UP)
    return follow_up


@transaction.atomic
def record_measure(
    actor: User,
    case: Case,
    *,
    instrument: str,
    answers: list[int],
    administered_on: dt.date | None = None,
) -> MeasureResult:
    _require_team(actor, case)
    _require_open(case)
    _require_services_consent(case)
    try:
        scored = instruments.score(instrument, answers)
    except instruments.InvalidAnswers as error:
        raise CaseError(_("Answer every question of the questionnaire.")) from error
    result = MeasureResult.objects.create(
        case=case,
        instrument=instrument,
        answers=answers,
        score=scored.score,
        band=scored.band.code,
        flagged=scored.flagged,
        administered_on=administered_on or timezone.localdate(),
        administered_by=actor,
    )
    _audit("case.measure_recorded", actor, case, measure=str(result.uuid))
    if scored.flagged:
        case.risk_level = RiskLevel.URGENT
        case.risk_reason = _("PHQ-9 item 9 answered above 0: risk of suicide or self-harm.")
        case.save(update_fields=["risk_level", "risk_reason", "updated_at"])
        _audit("case.risk_changed", actor, case)
        recipients = {u.pk: u for u in supervisors_of(case.organization_id)}
        if case.supervisor_id:
            recipients[case.supervisor_id] = case.supervisor
        notify(recipients.values(), NotificationKind.URGENT_RISK, case, measure=str(result.uuid))
    return result


# --- Approvals --------------------------------------------------------------------------
def _target(kind: str, case: Case, target_uuid: Any) -> Assessment | ActionPlan | Closure:
    model = {
        ApprovalKind.ASSESSMENT: Assessment,
        ApprovalKind.ACTION_PLAN: ActionPlan,
        ApprovalKind.CLOSURE: Closure,
    }[ApprovalKind(kind)]
    found: Assessment | ActionPlan | Closure | None = model.objects.filter(  # type: ignore[attr-defined]
        case=case, uuid=target_uuid
    ).first()
    if found is None:
        raise CaseError(_("There is nothing to approve."))
    return found


@transaction.atomic
def request_approval(actor: User, case: Case, kind: str, target_uuid: Any) -> ApprovalRequest:
    _require_team(actor, case)
    target = _target(kind, case, target_uuid)
    if kind != ApprovalKind.CLOSURE:
        _require_open(case)
    if kind == ApprovalKind.ACTION_PLAN and not Goal.objects.filter(plan_id=target.pk).exists():
        raise CaseError(_("Add at least one goal before asking for approval."))
    if case.approvals.filter(
        kind=kind, target_uuid=target.uuid, state=ApprovalState.PENDING
    ).exists():
        raise CaseError(_("This is already waiting for approval."))
    target.state = ApprovalState.PENDING
    target.save(update_fields=["state"])
    approval = ApprovalRequest.objects.create(
        case=case, kind=kind, target_uuid=target.uuid, requested_by=actor
    )
    _audit("case.approval_requested", actor, case, approval=str(approval.uuid), kind=kind)
    recipients = {u.pk: u for u in supervisors_of(case.organization_id)}
    if case.supervisor_id:
        recipients = {case.supervisor_id: case.supervisor}
    notify(recipients.values(), NotificationKind.APPROVAL_REQUESTED, case, kind=kind)
    return approval


@transaction.atomic
def decide_approval(
    actor: User, approval: ApprovalRequest, *, approve: bool, comment: str = ""
) -> ApprovalRequest:
    case = approval.case
    _require_supervisor(actor, case)
    if approval.state == ApprovalState.WITHDRAWN:
        raise CaseError(_("This request was withdrawn: the plan changed after it was sent."))
    if approval.state != ApprovalState.PENDING:
        raise CaseError(_("This request was already decided."))
    if not approve and not comment.strip():
        raise CaseError(_("Say what needs to change when you return a request."))
    # Four eyes: a supervisor does not approve their own request, unless they are the
    # agency's only supervisor (then the approval is flagged in the audit trail).
    own = approval.requested_by_id == actor.pk
    if own and approve and supervisors_of(case.organization_id).exclude(pk=actor.pk).exists():
        raise CaseError(_("Another supervisor of your agency must approve your own request."))
    state = ApprovalState.APPROVED if approve else ApprovalState.RETURNED
    approval.state, approval.decided_by = state, actor
    approval.decided_at, approval.comment = timezone.now(), comment
    approval.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    target = _target(approval.kind, case, approval.target_uuid)
    target.state = state
    target.save(update_fields=["state"])
    if approval.kind == ApprovalKind.CLOSURE and approve:
        case.status, case.stage = CaseStatus.CLOSED, Stage.CLOSURE
        case.closed_on = timezone.localdate()
        case.save(update_fields=["status", "stage", "closed_on", "updated_at"])
        _audit("case.closed", actor, case, closure=str(target.uuid))
    elif approval.kind == ApprovalKind.ACTION_PLAN and approve:
        _advance(case, Stage.IMPLEMENTATION)
    elif approval.kind == ApprovalKind.ASSESSMENT and approve:
        _advance(case, Stage.ACTION_PLAN)
    _audit(
        "case.approval_decided",
        actor,
        case,
        approval=str(approval.uuid),
        state=state,
        own_request=own,
    )
    kind = NotificationKind.APPROVED if approve else NotificationKind.RETURNED
    notify([approval.requested_by], kind, case, kind=approval.kind)
    return approval


# --- Closure --------------------------------------------------------------------------
@transaction.atomic
def request_closure(
    actor: User, case: Case, *, reason: str, satisfaction: str, note: str = ""
) -> Closure:
    _require_team(actor, case)
    _require_open(case)
    if reason not in ClosureReason.values or satisfaction not in Satisfaction.values:
        raise CaseError(_("Choose a reason and the survivor's satisfaction from the lists."))
    if case.closures.filter(state=ApprovalState.PENDING).exists():
        raise CaseError(_("A closure is already waiting for approval."))
    closure = Closure.objects.create(
        case=case, reason=reason, satisfaction=satisfaction, note=note, requested_by=actor
    )
    _audit("case.closure_requested", actor, case, closure=str(closure.uuid))
    request_approval(actor, case, ApprovalKind.CLOSURE, closure.uuid)
    return closure


@transaction.atomic
def reopen_case(actor: User, case: Case, reason: str) -> Case:
    _require_team(actor, case)
    if case.status != CaseStatus.CLOSED:
        raise CaseError(_("Only a closed case can be reopened."))
    if not reason.strip():
        raise CaseError(_("Say why the case is reopened."))
    closure = case.closures.filter(state=ApprovalState.APPROVED, reopened_at__isnull=True).first()
    if closure is not None:
        closure.reopened_at, closure.reopened_by = timezone.now(), actor
        closure.reopen_reason = reason
        closure.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    case.status, case.closed_on = CaseStatus.OPEN, None
    case.stage = Stage.FOLLOW_UP
    case.save(update_fields=["status", "closed_on", "stage", "updated_at"])
    _audit("case.reopened", actor, case)
    return case
