"""Template tags of the supervision pages: the approvals panel of the case page."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count

from ruta.cases import access
from ruta.cases.models import ActionPlan, ApprovalKind, ApprovalState, Case

register = template.Library()

SETTLED = (ApprovalState.PENDING, ApprovalState.APPROVED)


@register.simple_tag(takes_context=True)
def case_approvals(context: template.Context, case: Case) -> dict[str, Any]:
    """Approval history of ``case`` and what the person looking at it may do, in 1-3 queries.

    Supervisors of the agency decide pending requests; the case's caseworker asks for
    approval of the latest assessment and of the action plan when they are neither
    pending nor approved.
    """
    user = context.get("user") or getattr(context.get("request"), "user", None)
    approvals = list(
        case.approvals.select_related("requested_by", "decided_by").order_by("-requested_at", "-id")
    )
    requestable: list[dict[str, Any]] = []
    is_caseworker = user is not None and case.caseworker_id == getattr(user, "pk", None)
    if is_caseworker and case.is_open:
        assessment = (
            case.assessments.order_by("-assessed_on", "-id").only("uuid", "state", "assessed_on")
        ).first()
        if assessment is not None and assessment.state not in SETTLED:
            requestable.append(
                {
                    "kind": ApprovalKind.ASSESSMENT.value,
                    "label": ApprovalKind.ASSESSMENT.label,
                    "target": assessment.uuid,
                    "date": assessment.assessed_on,
                    "state": assessment.get_state_display(),
                }
            )
        plan = (
            ActionPlan.objects.filter(case=case)
            .annotate(goal_count=Count("goals"))
            .only("uuid", "state")
            .first()
        )
        goals: int = getattr(plan, "goal_count", 0) if plan is not None else 0
        if plan is not None and goals and plan.state not in SETTLED:
            requestable.append(
                {
                    "kind": ApprovalKind.ACTION_PLAN.value,
                    "label": ApprovalKind.ACTION_PLAN.label,
                    "target": plan.uuid,
                    "date": None,
                    "state": plan.get_state_display(),
                }
            )
    return {
        "approvals": approvals,
        "is_supervisor": user is not None and access.can_supervise(user, case),
        "requestable": requestable,
    }
