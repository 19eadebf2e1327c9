"""A fictional case conference on a CARE demo case with a HIAS participant.

Built through the actions of ``ruta.cases`` and ``ruta.conferences``: CARE's demo
caseworker records the survivor's consent to share with HIAS on an open adult demo
case, CARE's demo supervisor convenes a conference with that caseworker and HIAS's demo
supervisor, with an agenda and two agreed actions (one for CARE, which joins the case's
plan, one for HIAS). CARE's caseworker has acknowledged confidentiality; HIAS's
supervisor has not yet, so the demo shows the acknowledgement step.

``load_conferences_demo()`` is idempotent; ``remove_conferences_demo()`` deletes the
conferences convened by demo accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.cases import actions as case_actions
from ruta.cases.models import (
    CHILD_BANDS,
    Case,
    CaseStatus,
    ConsentMethod,
    ConsentPurpose,
    NeedDomain,
)
from ruta.conferences import actions
from ruta.conferences.models import AgendaKind, Conference, Modality
from ruta.lib.demo import Removed
from ruta.lib.permissions import Role


@dataclass
class ConferenceDemoSummary:
    created: int = 0
    reason: str = ""

    def describe(self) -> str:
        if self.created:
            return f"Demo case conferences: {self.created} created."
        return f"Demo case conferences: none created ({self.reason})."


def _demo_user(organization_acronym: str, role: str) -> Any:
    return (
        User.objects.filter(
            is_demo=True,
            is_active=True,
            role=role,
            organization__acronym=organization_acronym,
        )
        .order_by("pk")
        .first()
    )


def _demo_case(caseworker: Any) -> Case | None:
    """An open adult demo case of ``caseworker`` with an active services consent."""
    cases = Case.objects.filter(
        caseworker=caseworker, status=CaseStatus.OPEN, created_by__is_demo=True
    ).select_related("client", "organization")
    for case in cases.order_by("pk"):
        if case.client.age_band in CHILD_BANDS:
            continue
        if case_actions.has_consent(case, ConsentPurpose.SERVICES):
            return case
    return None


def load_conferences_demo(today: dt.date | None = None) -> ConferenceDemoSummary:
    summary = ConferenceDemoSummary()
    today = today or timezone.localdate()
    supervisor = _demo_user("CARE", Role.SUPERVISOR)
    caseworker = _demo_user("CARE", Role.CASEWORKER)
    hias = _demo_user("HIAS", Role.SUPERVISOR)
    if supervisor is None or caseworker is None or hias is None:
        summary.reason = "the CARE and HIAS demo accounts are missing"
        return summary
    if Conference.objects.filter(convened_by=supervisor).exists():
        summary.reason = "already loaded"
        return summary
    case = _demo_case(caseworker)
    if case is None:
        summary.reason = "no open adult CARE demo case; load the demo cases first"
        return summary
    with transaction.atomic():
        if not case_actions.has_consent(case, ConsentPurpose.SHARE, recipient=hias.organization):
            case_actions.record_consent(
                caseworker,
                case,
                purpose=ConsentPurpose.SHARE,
                method=ConsentMethod.WRITTEN,
                recipient=hias.organization,
            )
        conference = actions.convene(
            supervisor,
            case,
            scheduled_at=timezone.now() + dt.timedelta(days=2),
            modality=Modality.ONLINE,
            place_or_link="https://reunion.example.org/demo-conferencia",
            survivor_invited=True,
            participants=[caseworker, hias],
            roles={caseworker.pk: "Gestión del caso", hias.pk: "Atención psicosocial"},
            agenda=[
                (AgendaKind.PROGRESS, "Avances del plan de acción"),
                (AgendaKind.BARRIERS, "Barreras para acceder a la atención psicológica"),
                (AgendaKind.ROLES, "Quién acompaña cada servicio"),
                (AgendaKind.PLAN_ADJUSTMENTS, "Ajustes al plan de servicios"),
            ],
        )
        actions.acknowledge(caseworker, conference)
        actions.save_minutes(
            supervisor,
            conference,
            "Borrador del acta (ficticio): se revisarán avances y barreras con HIAS.",
        )
        actions.record_action(
            supervisor,
            conference,
            description="Acompañar a la persona a su primera sesión psicosocial en HIAS",
            owner=caseworker,
            due_on=today + dt.timedelta(days=7),
            need=NeedDomain.PSYCHOSOCIAL,
        )
        actions.record_action(
            supervisor,
            conference,
            description="Confirmar un horario de atención psicosocial compatible",
            owner=hias,
            due_on=today + dt.timedelta(days=5),
            need=NeedDomain.PSYCHOSOCIAL,
        )
        summary.created = 1
    return summary


def remove_conferences_demo() -> int:
    with transaction.atomic():
        conferences = Conference.objects.filter(convened_by__is_demo=True)
        count = conferences.count()
        conferences.delete()
    return count


def load_demo() -> ConferenceDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_conferences_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("case conferences", remove_conferences_demo())
