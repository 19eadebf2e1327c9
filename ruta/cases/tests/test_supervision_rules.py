"""What a supervisor relies on: a high risk says why, and an approval covers the plan as
it was reviewed."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.audit.models import AuditEvent
from ruta.cases import actions
from ruta.cases.models import (
    ActionStatus,
    ApprovalKind,
    ApprovalRequest,
    ApprovalState,
    Case,
    NeedDomain,
    RiskLevel,
)
from ruta.cases.tests.factories import client_fields, make_assessment, make_case, make_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("level", [RiskLevel.HIGH, RiskLevel.URGENT])
def test_a_high_or_urgent_risk_needs_a_reason(world: Any, level: str) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    with pytest.raises(actions.CaseError, match=r"high or urgent|alto o urgente"):
        actions.set_risk(caseworker, case, level, "   ")
    with pytest.raises(actions.CaseError):
        actions.register_case(
            caseworker, client_fields=client_fields(), case_type="gbv", risk_level=level
        )
    assert Case.objects.get(pk=case.pk).risk_level == RiskLevel.LOW
    actions.set_risk(caseworker, case, RiskLevel.MEDIUM, "")  # lower levels may stay silent
    actions.set_risk(caseworker, case, level, "Amenazas recientes")
    assert Case.objects.get(pk=case.pk).risk_reason == "Amenazas recientes"


def test_an_assessment_never_reuses_the_reason_of_an_earlier_level(world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker, risk_level=RiskLevel.HIGH)  # with a reason
    with pytest.raises(actions.CaseError):
        make_assessment(caseworker, case, risk_level=RiskLevel.URGENT)
    assert not case.assessments.exists()  # nothing half-written
    make_assessment(caseworker, case, risk_level=RiskLevel.URGENT, risk_reason="Nuevo hecho")
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.risk_level, fresh.risk_reason) == (RiskLevel.URGENT, "Nuevo hecho")


def _plan_request(world: Any) -> tuple[Any, Any, Case, Any, Any, ApprovalRequest]:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(caseworker)
    plan, goal, action = make_plan(caseworker, case)
    request = actions.request_approval(caseworker, case, ApprovalKind.ACTION_PLAN, plan.uuid)
    return caseworker, supervisor, case, goal, action, request


@pytest.mark.parametrize("change", ["goal", "action", "edit", "decision"])
def test_changing_a_plan_in_review_withdraws_the_request(world: Any, change: str) -> None:
    caseworker, supervisor, case, goal, action, request = _plan_request(world)
    if change == "goal":
        actions.add_goal(caseworker, case, need=NeedDomain.LEGAL, description="Otra meta")
    elif change == "action":
        actions.add_plan_action(caseworker, case, goal, description="Otra", responsible="Yo")
    elif change == "edit":
        actions.update_plan_action(caseworker, action, description="Cambiada")
    else:
        actions.update_plan_action(caseworker, action, decision="declined")
    request.refresh_from_db()
    assert request.state == ApprovalState.WITHDRAWN
    assert case.action_plan.state == ApprovalState.DRAFT
    assert AuditEvent.objects.filter(action="case.approval_withdrawn").exists()
    with pytest.raises(actions.CaseError, match=r"withdrawn|retirad"):
        actions.decide_approval(supervisor, request, approve=True)
    # Asked again, the new request covers the plan as it now is.
    again = actions.request_approval(caseworker, case, ApprovalKind.ACTION_PLAN, goal.plan.uuid)
    actions.decide_approval(supervisor, again, approve=True)
    case.action_plan.refresh_from_db()
    assert case.action_plan.state == ApprovalState.APPROVED


def test_an_approved_plan_is_a_draft_again_once_changed_but_not_by_progress(world: Any) -> None:
    caseworker, supervisor, case, _goal, action, request = _plan_request(world)
    actions.decide_approval(supervisor, request, approve=True)
    actions.update_plan_action(caseworker, action, status=ActionStatus.IN_PROGRESS)
    actions.update_plan_action(caseworker, action, status=ActionStatus.DONE)
    case.action_plan.refresh_from_db()
    assert case.action_plan.state == ApprovalState.APPROVED  # doing the plan is not changing it
    actions.update_plan_action(caseworker, action, responsible="Otra persona")
    case.action_plan.refresh_from_db()
    assert case.action_plan.state == ApprovalState.DRAFT


def test_a_value_sent_again_unchanged_does_not_withdraw_the_request(world: Any) -> None:
    caseworker, _supervisor, case, _goal, action, request = _plan_request(world)
    actions.update_plan_action(
        caseworker,
        action,
        status=ActionStatus.IN_PROGRESS,
        due_on=action.due_on,
        responsible=action.responsible,
    )
    request.refresh_from_db()
    assert request.state == ApprovalState.PENDING
    case.action_plan.refresh_from_db()
    assert case.action_plan.state == ApprovalState.PENDING
