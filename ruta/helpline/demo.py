"""A living CARE helpline desk: three weeks of fictional contacts, one risk contact handled
by the protocol (alert acknowledged by the supervisor), and call-backs due today.

Built through ``ruta.helpline.actions`` with CARE's demo operator (``linea.care@…``) and
supervisor. ``load_demo()`` is idempotent; ``remove_demo()`` deletes the contacts taken by
demo accounts (their alerts and call-backs with them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.helpline import actions
from ruta.helpline.models import Channel, Contact, Reason, RiskQuestion
from ruta.lib.demo import Removed
from ruta.lib.permissions import Role


@dataclass
class HelplineDemoSummary:
    created: int = 0
    reason: str = ""

    def describe(self) -> str:
        if self.created:
            return f"Demo helpline contacts: {self.created} created."
        return f"Demo helpline contacts: none created ({self.reason})."


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
        return summary
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
        summary.created = len(contacts)
    return summary


def remove_helpline_demo() -> int:
    with transaction.atomic():
        contacts = Contact.objects.filter(operator__is_demo=True)
        count = contacts.count()
        contacts.delete()
    return count


def load_demo() -> HelplineDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_helpline_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("helpline contacts", remove_helpline_demo())
