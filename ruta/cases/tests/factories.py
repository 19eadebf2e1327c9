"""Shared helpers for case tests: build cases and records through ``ruta.cases.actions``.

Everything goes through the domain actions, so audit events, notifications and the
encryption of personal fields are the real ones. Typical use::

    from ruta.cases.tests.factories import make_case

    case = make_case(world.user("caseworker.care"))            # open GBV case, services consent
    case = make_case(world.user("caseworker.hias"), case_type="mhpss", consent=False)

Names and numbers are obviously fictional; tests that check no personal data leaks
can look for the constants below.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from ruta.cases import actions
from ruta.cases.models import (
    ActionPlan,
    ApprovalKind,
    Assent,
    Case,
    CaseType,
    Closure,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    FollowUp,
    FollowUpKind,
    GBVType,
    Goal,
    Incident,
    IncidentSetting,
    MeasureResult,
    NeedDomain,
    PerpetratorRelation,
    PlanAction,
    RiskLevel,
    SafetyPlan,
)

# Fictional identity used by default: easy to grep for in raw rows, audit or notifications.
GIVEN_NAMES = "Persona"
FAMILY_NAMES = "Ejemplo Prueba"
ALIAS = "Alias Ficticio"
PHONE = "+51 900 111 222"
ADDRESS = "Calle Imaginaria 123, Lima"
DOCUMENT_NUMBER = "ZZ-000123"
CODE_WORD = "girasol-azul"
SAFE_TIMES = "Mañanas antes de las 10"
RISK_REASON = "Motivo de riesgo ficticio"

_counter = itertools.count(1)


def client_fields(**overrides: Any) -> dict[str, Any]:
    """Client fields for ``actions.register_case``; each call gets a unique document number."""
    n = next(_counter)
    fields: dict[str, Any] = {
        "given_names": GIVEN_NAMES,
        "family_names": FAMILY_NAMES,
        "alias": ALIAS,
        "phone": PHONE,
        "address": ADDRESS,
        "document_type": "passport",
        "document_number": f"{DOCUMENT_NUMBER}-{n}",
        "sex": "female",
        "gender_identity": "woman",
        "age": 30,
        "nationality": "VE",
        "population_type": "in_destination",
        "languages": ["es"],
        "admin1": "PE15",
        "safe_to_call": True,
        "safe_to_message": False,
        "safe_times": SAFE_TIMES,
        "code_word": CODE_WORD,
    }
    fields.update(overrides)
    return fields


def give_consent(
    actor: Any,
    case: Case,
    purpose: str = ConsentPurpose.SERVICES,
    *,
    recipient: Any = None,
    **kw: Any,
) -> Consent:
    """Record a consent with the right giver and assent for the client's age band."""
    band = case.client.age_band
    if band == "0-5":
        kw.setdefault("given_by", ConsentGiver.CAREGIVER)
    elif band in ("6-11", "12-14"):
        kw.setdefault("given_by", ConsentGiver.CAREGIVER)
        kw.setdefault("child_assent", Assent.GIVEN)
    kw.setdefault("method", ConsentMethod.VERBAL)
    return actions.record_consent(actor, case, purpose=purpose, recipient=recipient, **kw)


def make_case(
    world_user: Any,
    *,
    case_type: str = CaseType.GBV,
    risk_level: str = RiskLevel.LOW,
    consent: bool = True,
    caseworker: Any = None,
    opened_on: dt.date | None = None,
    actor: Any = None,
    **client_overrides: Any,
) -> Case:
    """Open a case assigned to ``world_user`` (a caseworker or supervisor).

    With ``consent`` (default) it also records the services consent. ``actor`` defaults
    to the assignee; pass a supervisor as ``actor`` to assign to another caseworker.
    Extra keyword arguments override client fields (e.g. ``age=4``).
    """
    actor = actor or world_user
    case = actions.register_case(
        actor,
        client_fields=client_fields(**client_overrides),
        case_type=case_type,
        risk_level=risk_level,
        risk_reason=RISK_REASON if risk_level != RiskLevel.LOW else "",
        caseworker=caseworker or world_user,
        opened_on=opened_on,
    )
    if consent:
        give_consent(actor, case)
    return case


# Answers that classify as each type (the first "yes" in GBVIMS order decides).
def answers_for(gbv_type: str) -> dict[str, bool | None]:
    from ruta.cases.classifier import QUESTIONS

    answers: dict[str, bool | None] = {}
    for question in QUESTIONS:
        answers[question.code] = question.type_if_yes == gbv_type
        if question.type_if_yes == gbv_type:
            break
    return answers


def make_incident(
    actor: Any,
    case: Case,
    gbv_type: str = GBVType.PHYSICAL_ASSAULT,
    **kw: Any,
) -> Incident:
    kw.setdefault("date", timezone.localdate() - dt.timedelta(days=10))
    kw.setdefault("setting", IncidentSetting.HOME)
    kw.setdefault("perpetrator", PerpetratorRelation.PARTNER)
    kw.setdefault("description", "Relato ficticio del incidente")
    return actions.record_incident(
        actor, case, answers=answers_for(gbv_type), confirmed_type=gbv_type, **kw
    )


def make_assessment(actor: Any, case: Case, **kw: Any) -> Any:
    kw.setdefault("needs", {d: "medium" for d in NeedDomain.values})
    kw.setdefault("risk_level", case.risk_level)
    kw.setdefault("narrative", "Narrativa ficticia de la evaluación")
    return actions.add_assessment(actor, case, **kw)


def make_plan(
    actor: Any, case: Case, *, due_on: dt.date | None = None, need: str = NeedDomain.SAFETY
) -> tuple[ActionPlan, Goal, PlanAction]:
    goal = actions.add_goal(actor, case, need=need, description="Meta ficticia")
    action = actions.add_plan_action(
        actor,
        case,
        goal,
        description="Acción ficticia",
        responsible="Gestión de casos",
        due_on=due_on,
    )
    return goal.plan, goal, action


def make_safety_plan(actor: Any, case: Case, **kw: Any) -> SafetyPlan:
    fields = {
        "risks": "Riesgo ficticio",
        "strategies": "Estrategia ficticia",
        "safe_people": "Persona segura ficticia",
        "safe_places": "Lugar seguro ficticio",
        "other_numbers": "+51 900 000 000",
    }
    return actions.save_safety_plan(actor, case, fields=fields, **kw)


def make_follow_up(actor: Any, case: Case, **kw: Any) -> FollowUp:
    kw.setdefault("kind", FollowUpKind.CALL)
    kw.setdefault("note", "Nota ficticia de seguimiento")
    return actions.add_follow_up(actor, case, **kw)


def make_measure(
    actor: Any, case: Case, instrument: str = "who5", answers: list[int] | None = None, **kw: Any
) -> MeasureResult:
    default = {"who5": [3] * 5, "phq9": [1] * 8 + [0], "gad7": [1] * 7}[instrument]
    return actions.record_measure(
        actor, case, instrument=instrument, answers=answers or default, **kw
    )


def make_closed_case(caseworker: Any, supervisor: Any, **kw: Any) -> Case:
    """A case closed through a closure request approved by ``supervisor``."""
    case = make_case(caseworker, **kw)
    closure = actions.request_closure(
        caseworker, case, reason="needs_met", satisfaction="satisfied", note="Cierre ficticio"
    )
    approval = case.approvals.get(kind=ApprovalKind.CLOSURE, target_uuid=closure.uuid)
    actions.decide_approval(supervisor, approval, approve=True)
    case.refresh_from_db()
    return case


def pending_closure(caseworker: Any, case: Case) -> Closure:
    return actions.request_closure(
        caseworker, case, reason="needs_met", satisfaction="satisfied", note="Cierre ficticio"
    )
