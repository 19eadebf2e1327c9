"""What is still open on a case when someone asks to close it, and what stops the closure.

Cases knows its own risks (the risk level, an unresolved PHQ-9 item 9 flag, open plan
actions); the apps above it (referrals, transfers, conferences, the helpline's call-backs)
add theirs through ``extensions.add_open_risk_source``. Labels carry codes, references,
dates and states, never narrative: the supervisor's approval page shows them too.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ruta.cases.extensions import OpenRisk, registered_open_risks
from ruta.cases.models import (
    ActionStatus,
    Case,
    Instrument,
    MeasureResult,
    PlanAction,
    RiskLevel,
    SafetyPlan,
)

OPEN_ACTION_STATUSES = (ActionStatus.PENDING, ActionStatus.IN_PROGRESS)


def _case_url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(f"cases:{name}", kwargs={"case_uuid": case.uuid, **kwargs})


def unresolved_suicide_flag(case: Case) -> MeasureResult | None:
    """The latest PHQ-9 whose item 9 raised the suicide-risk flag, unless something was
    done about it afterwards: the safety plan saved after it, or a new PHQ-9 without the
    flag (a second screening). Lowering the risk level alone does not resolve it."""
    flag = (
        MeasureResult.objects.filter(case=case, instrument=Instrument.PHQ9, flagged=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if flag is None:
        return None
    safety_plan_since = SafetyPlan.objects.filter(case=case, updated_at__gt=flag.created_at)
    screened_since = MeasureResult.objects.filter(
        case=case, instrument=Instrument.PHQ9, flagged=False, created_at__gt=flag.created_at
    )
    if safety_plan_since.exists() or screened_since.exists():
        return None
    return flag


def _own_risks(case: Case) -> list[OpenRisk]:
    risks: list[OpenRisk] = []
    if case.risk_level in (RiskLevel.URGENT, RiskLevel.HIGH):
        urgent = case.risk_level == RiskLevel.URGENT
        risks.append(
            OpenRisk(
                kind="risk_level",
                label=_("The risk level is %(level)s.") % {"level": case.get_risk_level_display()},
                url=_case_url("risk_edit", case),
                blocking=urgent,
            )
        )
    flag = unresolved_suicide_flag(case)
    if flag is not None:
        risks.append(
            OpenRisk(
                kind="suicide_risk",
                label=_(
                    "PHQ-9 item 9 flagged a risk of suicide or self-harm on %(date)s; no "
                    "safety plan and no new screening since."
                )
                % {"date": formats.date_format(flag.administered_on, "DATE_FORMAT")},
                url=_case_url("safety_plan", case),
                blocking=True,
            )
        )
    actions = PlanAction.objects.filter(case=case, status__in=OPEN_ACTION_STATUSES).order_by(
        "due_on", "id"
    )
    for action in actions.only("uuid", "due_on", "status"):
        status = action.get_status_display()
        if action.due_on:
            label = _("Plan action due %(date)s: %(status)s.") % {
                "date": formats.date_format(action.due_on, "DATE_FORMAT"),
                "status": status,
            }
        else:
            label = _("Plan action without a due date: %(status)s.") % {"status": status}
        risks.append(
            OpenRisk(
                kind="plan_action",
                label=label,
                url=_case_url("action_edit", case, action_uuid=action.uuid),
            )
        )
    return risks


def open_risks(case: Case) -> list[OpenRisk]:
    """Every open risk of ``case``, the blocking ones first (then in the order found)."""
    found = _own_risks(case) + registered_open_risks(case)
    return sorted(found, key=lambda risk: not risk.blocking)


def blocking(risks: list[OpenRisk]) -> list[OpenRisk]:
    return [risk for risk in risks if risk.blocking]
