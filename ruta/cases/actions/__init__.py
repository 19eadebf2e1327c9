"""Every change to a case: one function per step, atomic, audited, notifying on commit.

Functions take the acting user first and raise ``CaseError`` (a translated message for
the person) when the step is not allowed. Access (may this user see this case at all)
is checked by the caller through ``access.get_case``; role rules for a step (only a
supervisor approves) are checked here.

The steps live in themed modules (``common``, ``intake``, ``consents``, ``records``,
``approvals``); this package re-exports them, so callers import from ``ruta.cases.actions``.
"""

from ruta.cases.actions.approvals import (
    decide_approval,
    reopen_case,
    request_approval,
    request_closure,
)
from ruta.cases.actions.common import (
    CaseError,
    document_hash,
    duplicate_client_exists,
    normalise_document,
    require_team,
)
from ruta.cases.actions.consents import (
    ConsentRequired,
    active_consents,
    has_consent,
    record_consent,
    require_consent,
    withdraw_consent,
)
from ruta.cases.actions.intake import (
    CLIENT_FIELDS,
    NULLABLE_CLIENT_FIELDS,
    RISK_REASON_NEEDED,
    reassign,
    register_case,
    set_risk,
    set_stage,
    update_case,
    update_client,
)
from ruta.cases.actions.records import (
    PLAN_CONTENT,
    SAFETY_FIELDS,
    add_assessment,
    add_follow_up,
    add_goal,
    add_plan_action,
    plan_for,
    record_incident,
    record_measure,
    save_safety_plan,
    update_plan_action,
)

__all__ = [
    "CLIENT_FIELDS",
    "NULLABLE_CLIENT_FIELDS",
    "PLAN_CONTENT",
    "RISK_REASON_NEEDED",
    "SAFETY_FIELDS",
    "CaseError",
    "ConsentRequired",
    "active_consents",
    "add_assessment",
    "add_follow_up",
    "add_goal",
    "add_plan_action",
    "decide_approval",
    "document_hash",
    "duplicate_client_exists",
    "has_consent",
    "normalise_document",
    "plan_for",
    "reassign",
    "record_consent",
    "record_incident",
    "record_measure",
    "register_case",
    "reopen_case",
    "request_approval",
    "request_closure",
    "require_consent",
    "require_team",
    "save_safety_plan",
    "set_risk",
    "set_stage",
    "update_case",
    "update_client",
    "update_plan_action",
    "withdraw_consent",
]
