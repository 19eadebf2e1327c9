"""Fictional demo cases for the demo caseworkers of CARE and HIAS.

Every person here is invented ("Persona Ejemplo 1", ...), phones are ``+51 900 000 1xx``
and document numbers start with ``DEMO-``. Each case is built through
``ruta.cases.actions`` so the audit trail, the notifications and the encryption are the
real ones, with dates relative to today so the caseworker's day has something in it:

1. intake only (a child, consent by the caregiver with the child's assent);
2. assessed, action plan returned by the supervisor, actions overdue;
3. GBV with a classified incident, safety plan, follow-ups with the next contact today;
4. MHPSS with WHO-5 and PHQ-9 over three administrations (a trend) and follow-ups;
5. closed (closure approved by the supervisor);
6. urgent after a PHQ-9 item-9 flag, assessment waiting for approval.

``load_case_demo()`` is idempotent: a demo caseworker who already has cases is skipped,
so a second run creates nothing. ``remove_case_demo()`` deletes the cases that demo
accounts opened and hold, before ``remove_demo`` removes the accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.agencies.demo import DEMO_USERS
from ruta.cases import actions
from ruta.cases.models import (
    ActionStatus,
    ApprovalKind,
    ApprovalRequest,
    Assent,
    Case,
    CaseType,
    Client,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    Decision,
    FollowUpKind,
    GBVType,
    IncidentSetting,
    NeedDomain,
    PerpetratorRelation,
    RiskLevel,
)
from ruta.lib.demo import Removed
from ruta.lib.permissions import Role

DEMO_ORGANIZATIONS = ("CARE", "HIAS")
CASES_PER_CASEWORKER = 6


@dataclass
class CaseDemoSummary:
    created: int = 0
    skipped: int = 0
    built_on: dt.date | None = None  # when the kept demo cases were built, if not today

    def describe(self) -> str:
        text = (
            f"Demo cases: {self.created} created; {self.skipped} demo caseworkers already "
            f"had cases and were skipped."
        )
        if self.built_on is not None:
            text += (
                f"\nThe demo cases were built on {self.built_on.isoformat()} and their dates do "
                "not move: contacts and actions look later than on that day. For a caseload "
                "dated today, start from a new database (delete var/ruta.sqlite3, then make run)."
            )
        return text


def demo_caseworkers() -> list[tuple[Any, Any]]:
    """(caseworker, supervisor) demo pairs of CARE and HIAS; only true demo accounts."""
    from ruta.accounts.models import User

    emails = [email for email, _n, _r, acronym in DEMO_USERS if acronym in DEMO_ORGANIZATIONS]
    people = {
        u.email.lower(): u
        for u in User.objects.filter(email__in=emails, is_demo=True, is_active=True)
    }
    pairs = []
    for email, _name, role, acronym in DEMO_USERS:
        caseworker = people.get(email.lower())
        if role != Role.CASEWORKER or acronym not in DEMO_ORGANIZATIONS or caseworker is None:
            continue
        supervisor = next(
            (
                u
                for u in people.values()
                if u.role == Role.SUPERVISOR and u.organization_id == caseworker.organization_id
            ),
            None,
        )
        if supervisor is not None:
            pairs.append((caseworker, supervisor))
    return pairs


# --- Building blocks --------------------------------------------------------------------
class _Builder:
    """Builds the six demo cases of one caseworker, numbering clients from ``first``."""

    def __init__(self, caseworker: Any, supervisor: Any, first: int, today: dt.date) -> None:
        self.cw, self.sup, self.n, self.today = caseworker, supervisor, first, today
        self.services = list(
            caseworker.organization.services.filter(status="active").order_by("pk")[:2]
        )

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def open(
        self,
        *,
        case_type: str,
        age: int,
        sex: str = "female",
        gender: str = "woman",
        risk: str = RiskLevel.LOW,
        opened: int,
        document: bool = True,
        consent: bool = True,
        **extra: Any,
    ) -> Case:
        n = self.n
        self.n += 1
        fields: dict[str, Any] = {
            "given_names": "Persona",
            "family_names": f"Ejemplo {n}",
            "alias": f"Ejemplo {n}",
            "phone": f"+51 900 000 {100 + n}",
            "address": f"Calle Ficticia {n}, Lima (dirección de demostración)",
            "document_type": "passport" if document else "none",
            "document_number": f"DEMO-{n:04d}" if document else "",
            "sex": sex,
            "gender_identity": gender,
            "age": age,
            "nationality": "VE",
            "population_type": "in_destination",
            "languages": ["es"],
            "admin1": "PE-LMA",
            "safe_to_call": True,
            "safe_to_message": False,
            "safe_times": "Por las mañanas (dato de demostración)",
            "code_word": f"palabra-demo-{n}",
        }
        fields.update(extra)
        case = actions.register_case(
            self.cw,
            client_fields=fields,
            case_type=case_type,
            risk_level=risk,
            risk_reason="Riesgo de demostración" if risk != RiskLevel.LOW else "",
            opened_on=self.day(opened),
        )
        if consent:
            actions.record_consent(
                self.cw,
                case,
                purpose=ConsentPurpose.SERVICES,
                method=ConsentMethod.VERBAL,
                given_at=timezone.now() + dt.timedelta(days=opened),
            )
        return case

    def assess(self, case: Case, *, risk: str, days_ago: int, approve: bool | None) -> Any:
        """Add an assessment; ``approve`` None: no request, False: pending, True: approved."""
        needs = {domain: "low" for domain in NeedDomain.values}
        needs.update({NeedDomain.SAFETY: "high", NeedDomain.PSYCHOSOCIAL: "medium"})
        assessment = actions.add_assessment(
            self.cw,
            case,
            needs=needs,
            risk_level=risk,
            narrative="Evaluación de demostración: datos ficticios.",
            assessed_on=self.day(-days_ago),
            risk_reason="Riesgo de demostración",
        )
        if approve is not None:
            approval = actions.request_approval(
                self.cw, case, ApprovalKind.ASSESSMENT, assessment.uuid
            )
            if approve:
                actions.decide_approval(self.sup, approval, approve=True)
        return assessment

    def approve_plan(self, case: Case, *, approve: bool) -> ApprovalRequest:
        plan = actions.plan_for(case)
        approval = actions.request_approval(self.cw, case, ApprovalKind.ACTION_PLAN, plan.uuid)
        if approve:
            return actions.decide_approval(self.sup, approval, approve=True)
        return actions.decide_approval(
            self.sup,
            approval,
            approve=False,
            comment="Añade una fecha a cada acción y revisa los pros y contras (demo).",
        )

    # --- The six cases ------------------------------------------------------------------
    def intake_only(self) -> Case:
        case = self.open(
            case_type=CaseType.CHILD_PROTECTION,
            age=9,
            gender="undisclosed",
            risk=RiskLevel.MEDIUM,
            opened=-1,
            document=False,
            consent=False,
        )
        actions.record_consent(
            self.cw,
            case,
            purpose=ConsentPurpose.SERVICES,
            method=ConsentMethod.WRITTEN,
            given_by=ConsentGiver.CAREGIVER,
            child_assent=Assent.GIVEN,
        )
        return case

    def plan_overdue(self) -> Case:
        case = self.open(
            case_type=CaseType.MHPSS, age=34, sex="male", gender="man", opened=-30, consent=True
        )
        self.assess(case, risk=RiskLevel.MEDIUM, days_ago=25, approve=True)
        docs = actions.add_goal(
            self.cw,
            case,
            need=NeedDomain.DOCUMENTATION,
            description="Regularizar su situación migratoria (demo).",
        )
        work = actions.add_goal(
            self.cw,
            case,
            need=NeedDomain.LIVELIHOODS,
            description="Acceder a un curso de empleabilidad (demo).",
        )
        actions.add_plan_action(
            self.cw,
            case,
            docs,
            description="Acompañar la solicitud del permiso temporal (demo).",
            responsible="Gestión de casos",
            due_on=self.day(-5),
            service=self.services[0] if self.services else None,
            pros="Acceso a servicios (demo).",
            cons="Trámite largo (demo).",
            decision=Decision.AGREED,
        )
        late = actions.add_plan_action(
            self.cw,
            case,
            work,
            description="Inscripción en el curso (demo).",
            responsible="La persona, con apoyo",
            due_on=self.day(-2),
            decision=Decision.AGREED,
        )
        actions.update_plan_action(self.cw, late, status=ActionStatus.IN_PROGRESS)
        actions.add_plan_action(
            self.cw,
            case,
            work,
            description="Revisar ofertas de trabajo juntos (demo).",
            responsible="Gestión de casos",
            due_on=self.day(10),
        )
        self.approve_plan(case, approve=False)
        return case

    def gbv_incident(self) -> Case:
        case = self.open(case_type=CaseType.GBV, age=27, risk=RiskLevel.HIGH, opened=-21)
        actions.record_incident(
            self.cw,
            case,
            answers={"penetration": False, "sexual_contact": False, "physical": True},
            confirmed_type=GBVType.PHYSICAL_ASSAULT,
            date=self.day(-24),
            date_is_estimate=True,
            setting=IncidentSetting.HOME,
            perpetrator=PerpetratorRelation.PARTNER,
            admin1="PE-LMA",
            reported_elsewhere=False,
            description="Relato de demostración: ningún dato es real.",
        )
        self.assess(case, risk=RiskLevel.HIGH, days_ago=20, approve=True)
        actions.save_safety_plan(
            self.cw,
            case,
            fields={
                "risks": "Riesgos de demostración.",
                "strategies": "Estrategias de demostración.",
                "safe_people": "Una vecina (persona ficticia).",
                "safe_places": "Casa de una amiga (lugar ficticio).",
                "other_numbers": "+51 900 000 199",
            },
            emergency_services=self.services,
            next_review_on=self.day(7),
        )
        goal = actions.add_goal(
            self.cw, case, need=NeedDomain.SAFETY, description="Estar y sentirse segura (demo)."
        )
        action = actions.add_plan_action(
            self.cw,
            case,
            goal,
            description="Orientación legal sobre medidas de protección (demo).",
            responsible="Gestión de casos",
            due_on=self.day(-3),
            decision=Decision.AGREED,
        )
        self.approve_plan(case, approve=True)
        actions.update_plan_action(self.cw, action, status=ActionStatus.DONE)
        actions.add_follow_up(
            self.cw,
            case,
            kind=FollowUpKind.VISIT,
            note="Visita de demostración.",
            happened_on=self.day(-10),
            next_contact_on=self.day(-3),
        )
        actions.add_follow_up(
            self.cw,
            case,
            kind=FollowUpKind.CALL,
            note="Llamada de demostración.",
            happened_on=self.day(-3),
            next_contact_on=self.today,
        )
        return case

    def measures_trend(self) -> Case:
        case = self.open(case_type=CaseType.MHPSS, age=41, opened=-60)
        self.assess(case, risk=RiskLevel.MEDIUM, days_ago=58, approve=True)
        goal = actions.add_goal(
            self.cw,
            case,
            need=NeedDomain.PSYCHOSOCIAL,
            description="Mejorar su bienestar emocional (demo).",
        )
        action = actions.add_plan_action(
            self.cw,
            case,
            goal,
            description="Sesiones de apoyo psicosocial (demo).",
            responsible="Gestión de casos",
            due_on=self.day(14),
            decision=Decision.AGREED,
        )
        self.approve_plan(case, approve=True)
        actions.update_plan_action(self.cw, action, status=ActionStatus.IN_PROGRESS)
        who5 = ([1, 1, 1, 2, 1], [2, 2, 2, 2, 2], [3, 3, 4, 3, 3])
        phq9 = (
            [2, 2, 2, 2, 1, 2, 1, 1, 0],
            [1, 2, 1, 1, 1, 1, 1, 1, 0],
            [1, 1, 0, 1, 0, 1, 0, 0, 0],
        )
        for days_ago, w, p in zip((56, 28, 3), who5, phq9, strict=True):
            on = self.day(-days_ago)
            actions.add_follow_up(
                self.cw,
                case,
                kind=FollowUpKind.SESSION,
                note="Sesión de demostración.",
                happened_on=on,
                next_contact_on=self.day(-days_ago + 25) if days_ago > 3 else self.day(7),
            )
            actions.record_measure(self.cw, case, instrument="who5", answers=w, administered_on=on)
            actions.record_measure(self.cw, case, instrument="phq9", answers=p, administered_on=on)
        return case

    def closed(self) -> Case:
        case = self.open(case_type=CaseType.GBV, age=22, opened=-90)
        self.assess(case, risk=RiskLevel.LOW, days_ago=88, approve=None)
        actions.add_follow_up(
            self.cw,
            case,
            kind=FollowUpKind.CALL,
            note="Llamada de cierre (demo).",
            happened_on=self.day(-7),
        )
        closure = actions.request_closure(
            self.cw,
            case,
            reason="needs_met",
            satisfaction="very",
            note="Necesidades atendidas (demo).",
        )
        approval = case.approvals.get(kind=ApprovalKind.CLOSURE, target_uuid=closure.uuid)
        actions.decide_approval(self.sup, approval, approve=True)
        return case

    def urgent_pending(self) -> Case:
        case = self.open(
            case_type=CaseType.MHPSS, age=19, risk=RiskLevel.HIGH, opened=-4, document=False
        )
        actions.record_measure(
            self.cw, case, instrument="phq9", answers=[2, 2, 1, 2, 1, 2, 1, 1, 1]
        )
        # The item-9 flag made the case urgent; the assessment now waits for the supervisor.
        self.assess(case, risk=RiskLevel.URGENT, days_ago=0, approve=False)
        return case

    def build(self) -> list[Case]:
        return [
            self.intake_only(),
            self.plan_overdue(),
            self.gbv_incident(),
            self.measures_trend(),
            self.closed(),
            self.urgent_pending(),
        ]


def load_case_demo(today: dt.date | None = None) -> CaseDemoSummary:
    """Open the demo cases of every demo caseworker who has none yet."""
    summary = CaseDemoSummary()
    today = today or timezone.localdate()
    with transaction.atomic():
        for index, (caseworker, supervisor) in enumerate(demo_caseworkers()):
            if Case.objects.filter(caseworker=caseworker).exists():
                summary.skipped += 1
                continue
            first = index * CASES_PER_CASEWORKER + 1
            summary.created += len(_Builder(caseworker, supervisor, first, today).build())
    if summary.skipped:
        demo_cases = Case.objects.filter(created_by__is_demo=True, caseworker__is_demo=True)
        oldest = demo_cases.order_by("created_at").values_list("created_at", flat=True).first()
        if oldest is not None and timezone.localdate(oldest) < today:
            summary.built_on = timezone.localdate(oldest)
    return summary


def remove_case_demo() -> int:
    """Delete the cases both opened by and assigned to demo accounts, and their clients.

    A case a real account opened, or now holds, is never deleted: the demo account on it
    is then disabled and anonymised by ``remove_demo`` instead, and the case stays.
    """
    with transaction.atomic():
        cases = Case.objects.filter(created_by__is_demo=True, caseworker__is_demo=True)
        client_ids = set(cases.values_list("client_id", flat=True))
        count = cases.count()
        cases.delete()
        Client.objects.filter(pk__in=client_ids, cases__isnull=True).delete()
    return count


def load_demo() -> CaseDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_case_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("cases", remove_case_demo())
