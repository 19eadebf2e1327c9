"""URL arguments for the routes of the records inside a case (see test_route_permissions).

The case is assigned to ``caseworker.care``, so both caseworker.care and supervisor.care
get 200; it has an assessment, a goal and an action for the routes that name them.
"""

from __future__ import annotations

from typing import Any

from ruta.cases import actions
from ruta.cases.models import ActionPlan, Assessment, Case, Goal, PlanAction


def example_case(world: Any) -> Case:
    caseworker = world.user("caseworker.care")
    case = Case.objects.filter(caseworker=caseworker, case_type="gbv").order_by("pk").first()
    if case is None:
        case = actions.register_case(
            caseworker, client_fields={"alias": "Ejemplo", "age": 30}, case_type="gbv"
        )
    return case


def examples(world: Any) -> dict[str, dict[str, Any]]:
    case = example_case(world)
    caseworker = world.user("caseworker.care")
    assessment = Assessment.objects.filter(case=case).first() or Assessment.objects.create(
        case=case,
        needs={"safety": "high"},
        risk_level=case.risk_level,
        created_by=caseworker,
    )
    plan, _created = ActionPlan.objects.get_or_create(case=case)
    goal = Goal.objects.filter(plan=plan).first() or Goal.objects.create(
        plan=plan, need="safety", description="Objetivo de ejemplo"
    )
    action = PlanAction.objects.filter(goal=goal).first() or PlanAction.objects.create(
        goal=goal, case=case, description="Acción de ejemplo", responsible="Gestora"
    )
    on_case = {"case_uuid": case.uuid}
    return {
        "cases:incident_create": {"kwargs": on_case},
        "cases:assessment_create": {"kwargs": on_case},
        "cases:assessment_detail": {"kwargs": {**on_case, "assessment_uuid": assessment.uuid}},
        "cases:plan": {"kwargs": on_case},
        "cases:goal_create": {"kwargs": on_case},
        "cases:action_create": {"kwargs": {**on_case, "goal_uuid": goal.uuid}},
        "cases:action_edit": {"kwargs": {**on_case, "action_uuid": action.uuid}},
        "cases:safety_plan": {"kwargs": on_case},
        "cases:safety_plan_print": {"kwargs": on_case},
        "cases:follow_up_create": {"kwargs": on_case},
        "cases:measures": {"kwargs": on_case},
        "cases:measure_create": {"kwargs": on_case},
    }
