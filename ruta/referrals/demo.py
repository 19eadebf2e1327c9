"""Demo referrals between the demo agencies, built through ``ruta.referrals.actions``.

CARE's demo caseworker refers two of their demo cases to HIAS services:

1. to HIAS's individual psychological care, still waiting in HIAS's inbox;
2. to HIAS's legal advice, accepted by HIAS's supervisor (linked to a case HIAS already
   follows), assigned to HIAS's caseworker and completed with feedback, so CARE sees
   the outcome.

Idempotent: nothing is created when a demo case already has a referral.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ruta.accounts.models import User
from ruta.cases import actions as case_actions
from ruta.cases.models import Case, CaseStatus, ConsentMethod, ConsentPurpose
from ruta.directory.models import Service
from ruta.lib.demo import Removed
from ruta.referrals import actions
from ruta.referrals.models import Outcome, Referral, Urgency

# (service Spanish name at HIAS, urgency, what happens next)
PLAN = (
    ("Atención psicológica individual", Urgency.URGENT, "pending"),
    ("Orientación legal y protección internacional", Urgency.NORMAL, "completed"),
)


@dataclass
class ReferralDemoSummary:
    created: int = 0
    skipped: bool = False

    def describe(self) -> str:
        if self.skipped:
            return "Demo referrals: already there (or the demo cases are missing); skipped."
        return f"Demo referrals: {self.created} created."


def _user(email: str) -> Any:
    return User.objects.filter(email=email, is_demo=True, is_active=True).first()


def load_referral_demo() -> ReferralDemoSummary:
    summary = ReferralDemoSummary()
    sender = _user("gestion.care@ruta.example.org")
    boss = _user("supervision.hias@ruta.example.org")
    worker = _user("gestion.hias@ruta.example.org")
    if sender is None or boss is None or worker is None:
        summary.skipped = True
        return summary
    cases = list(
        Case.objects.filter(caseworker=sender, status=CaseStatus.OPEN)
        .select_related("client")
        .order_by("code")
    )
    cases = [
        c
        for c in cases
        if not c.client.is_child and case_actions.has_consent(c, ConsentPurpose.SERVICES)
    ]
    if len(cases) < len(PLAN) or Referral.objects.filter(case__in=cases).exists():
        summary.skipped = True
        return summary
    with transaction.atomic():
        for case, (service_name, urgency, fate) in zip(cases, PLAN, strict=False):
            service = Service.objects.filter(
                organization=boss.organization, name_es=service_name
            ).first()
            if service is None:
                continue
            if not case_actions.has_consent(case, ConsentPurpose.SHARE, service.organization):
                case_actions.record_consent(
                    sender,
                    case,
                    purpose=ConsentPurpose.SHARE,
                    method=ConsentMethod.VERBAL,
                    recipient=service.organization,
                )
            referral = actions.send_referral(
                sender,
                case,
                service=service,
                fields=("name", "age_band", "sex", "languages", "needs", "safe_contact"),
                urgency=urgency,
                reason="Ejemplo de demostración: necesita apoyo de este servicio.",
            )
            summary.created += 1
            if fate == "completed":
                # HIAS already follows this person in the demo: link, don't open a duplicate.
                existing = (
                    Case.objects.filter(caseworker=worker, status=CaseStatus.OPEN)
                    .order_by("code")
                    .last()
                )
                actions.accept_referral(boss, referral, assign_to=worker, link_case=existing)
                actions.complete_referral(
                    worker,
                    referral,
                    outcome=Outcome.PROVIDED,
                    feedback="Ejemplo: orientación legal dada en dos citas; trámite iniciado.",
                )
    return summary


def remove_referral_demo() -> int:
    """Delete referrals of demo cases (the cases go next, with ``remove_case_demo``)."""
    referrals = Referral.objects.filter(case__created_by__is_demo=True, sent_by__is_demo=True)
    count = referrals.count()
    referrals.delete()
    return count


def load_demo() -> ReferralDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_referral_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("referrals", remove_referral_demo())
