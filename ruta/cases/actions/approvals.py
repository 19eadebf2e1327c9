"""Supervisor approvals of assessments, plans and closures; closing and reopening a case."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.cases import extensions, risks
from ruta.cases.access import supervisors_of
from ruta.cases.actions.common import (
    CaseError,
    _advance,
    _audit,
    _require_open,
    require_supervisor,
    require_team,
)
from ruta.cases.models import (
    ActionPlan,
    ApprovalKind,
    ApprovalRequest,
    ApprovalState,
    Assessment,
    Case,
    CaseStatus,
    Closure,
    ClosureReason,
    Goal,
    Satisfaction,
    Stage,
)
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind


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
    require_team(actor, case)
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


def _check_closure_risks(case: Case, risk_override_reason: str) -> tuple[int, bool]:
    """Re-read the open risks now (they may have changed since the request): an urgent one
    stops the closure unless the supervisor says why the case closes despite it.
    Returns the count of open risks and whether an urgent one was overridden."""
    found = risks.open_risks(case)
    urgent = risks.blocking(found)
    if urgent and not risk_override_reason.strip():
        raise CaseError(
            _(
                "This case has an urgent risk open. Deal with it first, or record why the "
                "case closes despite it."
            )
        )
    return len(found), bool(urgent)


def _close(actor: User, case: Case, closure: Closure, count: int, override: str) -> None:
    facts: dict[str, Any] = {}  # a case closing with nothing open is recorded as before
    if count:
        facts["count"] = count  # how many risks were open: a count, never what they were
    if override:
        closure.risk_override_reason = override.strip()
        closure.save(update_fields=["risk_override_reason"])
        facts["fields"] = ["risk_override_reason"]
    case.status, case.stage = CaseStatus.CLOSED, Stage.CLOSURE
    case.closed_on = timezone.localdate()
    case.save(update_fields=["status", "stage", "closed_on", "updated_at"])
    _audit("case.closed", actor, case, closure=str(closure.uuid), **facts)
    # Referrals, transfers and conferences tell the other side and settle what is open.
    extensions.case_closed(actor, case)


@transaction.atomic
def decide_approval(
    actor: User,
    approval: ApprovalRequest,
    *,
    approve: bool,
    comment: str = "",
    risk_override_reason: str = "",
) -> ApprovalRequest:
    """Approve or return a request. Approving a closure closes the case, once its open
    risks were read again: see ``_check_closure_risks``."""
    case = approval.case
    require_supervisor(actor, case)
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
    closing = approval.kind == ApprovalKind.CLOSURE and approve
    count, overridden = 0, False
    if closing:  # before anything changes: a refusal leaves the request as it was
        count, overridden = _check_closure_risks(case, risk_override_reason)
    state = ApprovalState.APPROVED if approve else ApprovalState.RETURNED
    approval.state, approval.decided_by = state, actor
    approval.decided_at, approval.comment = timezone.now(), comment
    approval.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    target = _target(approval.kind, case, approval.target_uuid)
    target.state = state
    target.save(update_fields=["state"])
    if closing:
        assert isinstance(target, Closure)
        _close(actor, case, target, count, risk_override_reason if overridden else "")
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
    require_team(actor, case)
    _require_open(case)
    if reason not in ClosureReason.values or satisfaction not in Satisfaction.values:
        raise CaseError(_("Choose a reason and the survivor's satisfaction from the lists."))
    if case.closures.filter(state=ApprovalState.PENDING).exists():
        raise CaseError(_("A closure is already waiting for approval."))
    closure = Closure.objects.create(
        case=case, reason=reason, satisfaction=satisfaction, note=note, requested_by=actor
    )
    open_count = len(risks.open_risks(case))
    facts = {"count": open_count} if open_count else {}
    _audit("case.closure_requested", actor, case, closure=str(closure.uuid), **facts)
    request_approval(actor, case, ApprovalKind.CLOSURE, closure.uuid)
    return closure


@transaction.atomic
def reopen_case(actor: User, case: Case, reason: str) -> Case:
    require_team(actor, case)
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
