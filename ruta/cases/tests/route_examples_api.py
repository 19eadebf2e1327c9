"""URL arguments for the case API's routes (see ruta/core/tests/test_route_permissions.py).

The case is assigned to caseworker.care, so both caseworker.care and supervisor.care
reach it; it has a services consent and an action plan goal for the nested routes.
"""

from __future__ import annotations

from typing import Any

from ruta.cases.actions import request_approval
from ruta.cases.models import ApprovalKind, Consent, ConsentPurpose, Goal
from ruta.cases.tests.factories import make_case, make_plan


def examples(world: Any) -> dict[str, dict[str, Any]]:
    caseworker = world.user("caseworker.care")
    goal = (
        Goal.objects.filter(
            plan__case__caseworker=caseworker,
            plan__case__consents__purpose=ConsentPurpose.SERVICES,
            plan__case__consents__withdrawn_at__isnull=True,
        )
        .select_related("plan__case")
        .order_by("pk")
        .first()
    )
    if goal is None:
        case = make_case(caseworker)
        _plan, goal, _action = make_plan(caseworker, case)
    case = goal.plan.case
    consent = Consent.objects.filter(case=case).order_by("pk").first()
    assert consent is not None
    nested = {"case_uuid": case.uuid}
    names = [
        "consent-list",
        "incident-list",
        "assessment-list",
        "plan",
        "goal-list",
        "safety-plan",
        "follow-up-list",
        "measure-list",
        "closure-list",
        "reopen",
        "approval-list",
    ]
    found: dict[str, dict[str, Any]] = {f"cases_api:{name}": {"kwargs": nested} for name in names}
    found["cases_api:case-detail"] = {"kwargs": {"uuid": case.uuid}}
    # The routes that only change something are called as they are used: POST or PATCH.
    found["cases_api:consent-withdraw"] = {
        "kwargs": {**nested, "uuid": consent.uuid},
        "method": "post",
        "data": {"note": "Ya no quiere que se comparta"},
    }
    found["cases_api:goal-list"]["method"] = "post"
    found["cases_api:goal-list"]["data"] = {"need": "safety", "description": "Vivir segura"}
    found["cases_api:plan-action-list"] = {
        "kwargs": {**nested, "uuid": goal.uuid},
        "method": "post",
        "data": {"description": "Acompañar a la fiscalía", "responsible": "Caseworker"},
    }
    action = goal.actions.order_by("pk").first()
    assert action is not None
    found["cases_api:plan-action-detail"] = {
        "kwargs": {**nested, "uuid": action.uuid},
        "method": "patch",
        "data": {"status": "in_progress"},
    }
    found["cases_api:storage-choice"] = {"kwargs": nested, "method": "post"}
    found["cases_api:reopen"]["method"] = "post"
    found["cases_api:reopen"]["data"] = {"reason": "Nueva amenaza"}
    approval = case.approvals.order_by("pk").first() or request_approval(
        caseworker, case, ApprovalKind.ACTION_PLAN, goal.plan.uuid
    )
    found["cases_api:approval-decision"] = {
        "kwargs": {**nested, "uuid": approval.uuid},
        "method": "post",
        "data": {"approve": True},
    }
    return found
