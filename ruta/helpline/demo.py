"""A living CARE helpline desk: three weeks of fictional contacts, one risk contact handled
by the protocol (alert acknowledged by the supervisor), call-backs due today, two warm
referrals to HIAS (one waiting in HIAS's inbox, one accepted there) and a shift handover
left by the supervisor for the operator to read.

Built through ``ruta.helpline.actions`` with CARE's demo operator (``linea.care@…``) and
supervisor. ``load_demo()`` is idempotent, part by part (contacts, warm referrals, the
handover), so a desk loaded before a part existed gets it on the next load;
``remove_demo()`` deletes the contacts taken by demo accounts (their alerts, call-backs and
warm referrals with them) and the handovers they left (the cases and referrals the warm
referrals opened go with the cases' and referrals' demo data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.agencies.models import Organization
from ruta.cases.models import CaseType, ConsentGiver
from ruta.helpline import actions
from ruta.helpline.models import (
    Channel,
    Contact,
    Handoff,
    HandoffKind,
    Handover,
    Reason,
    RiskQuestion,
)
from ruta.lib.demo import Removed
from ruta.lib.permissions import Role
from ruta.referrals import actions as referral_actions
from ruta.referrals.models import ShareField, Urgency


@dataclass
class HelplineDemoSummary:
    created: int = 0
    reason: str = ""
    handoffs: int = 0
    handovers: int = 0

    def describe(self) -> str:
        extra = f" Warm referrals: {self.handoffs}; handovers: {self.handovers}."
        if self.created:
            return f"Demo helpline contacts: {self.created} created.{extra}"
        return f"Demo helpline contacts: none created ({self.reason}).{extra}"


def _demo_user(role: str) -> Any:
    return (
        User.objects.filter(is_demo=True, is_active=True, role=role, organization__acronym="CARE")
        .order_by("pk")
        .first()
    )


# (days ago, hour, channel, reason codes, sex, age band, population type, admin1)
CONTACTS: list[tuple[int, int, str, tuple[str, ...], str, str, str, str]] = [
    (20, 9, Channel.PHONE, ("information", "legal"), "female", "26-59", "in_destination", "PE-LIM"),
    (18, 11, Channel.WHATSAPP, ("emotional_distress",), "female", "18-25", "in_transit", "PE-TUM"),
    (15, 16, Channel.PHONE, ("gbv", "shelter"), "female", "26-59", "in_destination", "PE-LIM"),
    (12, 10, Channel.WEB_CHAT, ("cash", "food"), "male", "26-59", "in_destination", "PE-LAL"),
    (9, 14, Channel.OUTREACH, ("health",), "female", "60+", "host", "PE-TUM"),
    (6, 19, Channel.PHONE, ("emotional_distress", "cash"), "undisclosed", "", "", ""),
    (3, 12, Channel.IN_PERSON, ("legal",), "male", "18-25", "in_transit", "PE-TUM"),
    (1, 15, Channel.WHATSAPP, ("violence",), "female", "15-17", "in_destination", "PE-LIM"),
    (0, 8, Channel.PHONE, ("information",), "", "", "", "PE-LIM"),
]


def load_helpline_demo(now: dt.datetime | None = None) -> HelplineDemoSummary:
    summary = HelplineDemoSummary()
    now = now or timezone.now()
    operator = _demo_user(Role.HELPLINE)
    supervisor = _demo_user(Role.SUPERVISOR)
    if operator is None or supervisor is None:
        summary.reason = "the CARE helpline and supervisor demo accounts are missing"
        return summary
    if Contact.objects.filter(operator=operator).exists():
        summary.reason = "already loaded"
    else:
        summary.created = _load_contacts(operator, supervisor, now)
    summary.handoffs = _load_handoffs(operator, supervisor)
    summary.handovers = _load_handover(supervisor, now)
    return summary


def _load_contacts(operator: Any, supervisor: Any, now: dt.datetime) -> int:
    reasons = {reason.code: reason for reason in Reason.objects.all()}
    local = timezone.localtime(now)
    with transaction.atomic():
        contacts = []
        for days, hour, channel, codes, sex, band, population, admin1 in CONTACTS:
            started = (local - dt.timedelta(days=days)).replace(hour=hour, minute=5)
            if started > now:
                started = now - dt.timedelta(minutes=30)
            contact = actions.create_contact(
                operator,
                reasons=[reasons[code] for code in codes if code in reasons],
                started_at=started,
                ended_at=started + dt.timedelta(minutes=12 + hour),
                channel=channel,
                sex=sex,
                age_band=band,
                population_type=population,
                admin1=admin1,
                what_was_done="Escucha activa e información sobre servicios (ficticio).",
            )
            actions.record_first_aid(
                operator,
                contact,
                distress_before=7,
                distress_after=4,
                needs="Necesidades descritas por la persona (ficticio).",
                information_given="Información sobre rutas de atención (ficticio).",
                follow_up="",
            )
            contacts.append(contact)
        risky = contacts[2]
        danger = list(RiskQuestion.objects.filter(code="immediate_danger"))
        alert = actions.record_screening(
            operator,
            risky,
            yes=danger,
            action_taken="Se siguió el protocolo: plan de seguridad inmediato y contacto con "
            "el albergue (ficticio).",
        )
        if alert is not None:
            actions.acknowledge_alert(supervisor, alert)
        actions.mark_reviewed(supervisor, risky)
        for contact in contacts[:-1]:
            actions.close_contact(operator, contact)
        today_contact = contacts[-2]
        actions.schedule_callback(
            operator,
            today_contact,
            due_at=now + dt.timedelta(hours=2),
            assigned_to=operator,
            phone="+51 900 000 001",
            name="Nombre ficticio",
            safe_instructions="Solo por la tarde; si contesta otra persona, colgar (ficticio).",
        )
        actions.schedule_callback(
            operator,
            contacts[-1],
            due_at=now + dt.timedelta(hours=1),
            phone="+51 900 000 002",
        )
    return len(contacts)


# (contact by reason and age band, case type, what HIAS's supervisor does, who consented)
HANDOFFS = (
    (("gbv", "26-59"), CaseType.GBV, "pending", ConsentGiver.SELF),
    (("violence", "15-17"), CaseType.CHILD_PROTECTION, "accepted", ConsentGiver.SELF),
)


def _load_handoffs(operator: Any, supervisor: Any) -> int:
    """Two warm referrals to HIAS from the operator's contacts, with the caller's consent:
    one still waiting in HIAS's inbox, one accepted by HIAS's supervisor. A 15-17-year-old
    may consent themself (cases' consent bands). Made by CARE's demo supervisor on the
    operator's behalf, so the cases they open belong to a demo account even where the
    agency has real supervisors (``remove_demo`` then takes them). Skipped once the desk
    has a warm referral, or without HIAS and its demo supervisor."""
    if Handoff.objects.filter(contact__operator=operator).exists():
        return 0
    hias = Organization.objects.filter(acronym="HIAS").first()
    receiver = (
        User.objects.filter(is_demo=True, is_active=True, role=Role.SUPERVISOR, organization=hias)
        .order_by("pk")
        .first()
    )
    if hias is None or receiver is None:
        return 0
    made = 0
    with transaction.atomic():
        for (code, band), case_type, then, given_by in HANDOFFS:
            contact = (
                Contact.objects.filter(operator=operator, age_band=band, reasons__code=code)
                .order_by("started_at")
                .first()
            )
            if contact is None:
                continue
            handoff = actions.hand_off(
                supervisor,
                contact,
                kind=HandoffKind.REFERRAL,
                case_type=case_type,
                fields=[ShareField.AGE_BAND, ShareField.SEX, ShareField.POPULATION],
                organization=hias,
                consent=True,
                given_by=given_by,
                urgency=Urgency.URGENT if then == "pending" else Urgency.NORMAL,
                reason="Derivación cálida desde la línea de atención (ficticio).",
            )
            if then == "accepted" and handoff.referral is not None:
                referral_actions.accept_referral(receiver, handoff.referral, case_type=case_type)
            made += 1
    return made


def _load_handover(supervisor: Any, now: dt.datetime) -> int:
    """The night shift, covered by the supervisor, handed over to the morning operator:
    unread, so the operator's desk opens on it. Skipped once a demo handover exists."""
    if Handover.objects.filter(
        organization_id=supervisor.organization_id, from_operator__is_demo=True
    ).exists():
        return 0
    actions.hand_over(
        supervisor,
        notes="Turno de noche cubierto por supervisión: queda una devolución de llamada en "
        "la cola y la alerta de riesgo ya fue atendida (ficticio).",
        now=now - dt.timedelta(hours=1),
    )
    return 1


def remove_helpline_demo() -> int:
    with transaction.atomic():
        contacts = Contact.objects.filter(operator__is_demo=True)
        count = contacts.count()
        contacts.delete()
        Handover.objects.filter(from_operator__is_demo=True).delete()
    return count


def load_demo() -> HelplineDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_helpline_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("helpline contacts", remove_helpline_demo())
