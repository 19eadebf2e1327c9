"""Helpline records for tests, built through the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ruta.helpline import actions
from ruta.helpline.models import Callback, Contact, Reason, RiskQuestion


def make_contact(operator: Any, **fields: Any) -> Contact:
    fields.setdefault("reasons", list(Reason.objects.filter(code="emotional_distress")))
    return actions.create_contact(operator, **fields)


def question(code: str) -> RiskQuestion:
    return RiskQuestion.objects.get(code=code)


def make_risk_contact(operator: Any, *, action_taken: str = "Plan de seguridad") -> Contact:
    contact = make_contact(operator)
    actions.record_screening(
        operator, contact, yes=[question("immediate_danger")], action_taken=action_taken
    )
    return contact


def make_callback(operator: Any, contact: Contact, **fields: Any) -> Callback:
    fields.setdefault("due_at", timezone.now() + dt.timedelta(hours=1))
    fields.setdefault("phone", "+51 999 111 222")
    return actions.schedule_callback(operator, contact, **fields)
