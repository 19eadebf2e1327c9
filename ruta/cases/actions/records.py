"""What the team records on an open case: the incident, the assessment, the action plan,
the safety plan, follow-ups and measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.cases import classifier, instruments, system_text
from ruta.cases.access import supervisors_of
from ruta.cases.actions.common import CaseError, _advance, _audit, _require_open, require_team
from ruta.cases.actions.consents import _require_services_consent
from ruta.cases.actions.intake import _require_risk_reason, set_risk
from ruta.cases.models import (
    ActionPlan,
    ActionStatus,
    ApprovalKind,
    ApprovalState,
    Assessment,
    Case,
    CaseType,
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
    Stage,
)
from ruta.cases.work import refresh_case_due_dates
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind


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
    require_team(actor, case)
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
    require_team(actor, case)
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
    require_team(actor, case)
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
    require_team(actor, case)
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
    require_team(actor, case)
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
    require_team(actor, case)
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
    require_team(actor, case)
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
    require_team(actor, case)
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
        case.risk_reason = system_text.coded("phq9_item9")
        case.save(update_fields=["risk_level", "risk_reason", "updated_at"])
        _audit("case.risk_changed", actor, case)
        recipients = {u.pk: u for u in supervisors_of(case.organization_id)}
        if case.supervisor_id:
            recipients[case.supervisor_id] = case.supervisor
        notify(recipients.values(), NotificationKind.URGENT_RISK, case, measure=str(result.uuid))
    return result
