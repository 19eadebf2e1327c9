"""URL arguments for the supervision and work routes (see test_route_permissions).

One case of caseworker.care with an assessment waiting for approval (to decide) and an
action plan with a goal (to send for approval), so caseworker.care and supervisor.care
both get a real answer.
"""

from __future__ import annotations

from typing import Any

from ruta.cases import actions
from ruta.cases.models import ApprovalKind
from ruta.cases.tests.factories import make_assessment, make_case, make_plan


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_work_examples", None)
    if cached is not None:
        return cached
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    assessment = make_assessment(caseworker, case)
    approval = actions.request_approval(caseworker, case, ApprovalKind.ASSESSMENT, assessment.uuid)
    plan, _goal, _action = make_plan(caseworker, case)
    found = {
        "cases:approval_request": {
            "kwargs": {"case_uuid": case.uuid},
            "method": "post",
            "data": {"kind": ApprovalKind.ACTION_PLAN.value, "target": str(plan.uuid)},
        },
        "cases:approval_decide": {"kwargs": {"approval_uuid": approval.uuid}},
    }
    world._work_examples = found
    return found
