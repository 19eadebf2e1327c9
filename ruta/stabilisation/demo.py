"""An IOM-style cash-transfer programme (BP5_PC: 2,100 people, USD 15,000, ten cities)
run by CARE's demo desk, with fictional beneficiaries: some paid after a late payment and
stabilised while they waited, some still waiting in the queue today.

Built through ``ruta.stabilisation.actions`` with CARE's demo operator (``linea.care@…``).
``load_demo()`` is idempotent (the programme is found by name); ``remove_demo()`` deletes
the programme, its beneficiaries and their stabilisation contacts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.agencies.models import Organization
from ruta.helpline import actions as helpline_actions
from ruta.helpline.models import Contact, Reason
from ruta.lib.demo import Removed
from ruta.lib.permissions import Role
from ruta.practices.models import Practice
from ruta.stabilisation import actions
from ruta.stabilisation.models import CheckOutcome, Need, Programme, QueueEntry

NAME = "Estabilización psicosocial PTM (demo)"
DELAY_DAYS = 7
CITIES = [
    "Quito",
    "Tulcán",
    "Huaquillas",
    "Lago Agrio",
    "Ibarra",
    "Guayaquil",
    "Manta",
    "Machala",
    "Cuenca",
    "Quevedo",
]
ADMIN1 = ["EC-P", "EC-C", "EC-O", "EC-U", "EC-I", "EC-G", "EC-M", "EC-A", "EC-R"]

# (id, sex, age band, population type, admin1, payment expected (days ago), paid (days ago
# or None), needs check (outcome or None), contacts [(days ago, distress before, after)])
Person = tuple[str, str, str, str, str, int, int | None, str | None, list[tuple[int, int, int]]]
PEOPLE: list[Person] = [
    (
        "DEMO-001",
        "female",
        "26-59",
        "in_destination",
        "EC-P",
        40,
        20,
        "applies",
        [(30, 8, 5), (25, 6, 4)],
    ),
    ("DEMO-002", "female", "18-25", "in_destination", "EC-C", 38, 22, "applies", [(29, 7, 4)]),
    (
        "DEMO-003",
        "male",
        "60+",
        "in_destination",
        "EC-G",
        36,
        18,
        "applies",
        [(27, 9, 6), (22, 7, 5)],
    ),
    ("DEMO-004", "female", "26-59", "in_transit", "EC-O", 35, 24, "not_needed", []),
    ("DEMO-005", "female", "26-59", "in_destination", "EC-U", 33, 15, "applies", [(24, 8, 6)]),
    ("DEMO-006", "male", "26-59", "host", "EC-P", 30, 25, None, []),
    (
        "DEMO-007",
        "female",
        "18-25",
        "in_destination",
        "EC-A",
        28,
        10,
        "applies",
        [(19, 6, 3), (14, 5, 3)],
    ),
    ("DEMO-008", "female", "60+", "in_destination", "EC-I", 26, 12, "applies", [(17, 7, 5)]),
    (
        "DEMO-009",
        "female",
        "26-59",
        "in_destination",
        "EC-P",
        20,
        None,
        "applies",
        [(11, 8, 6), (5, 7, 5)],
    ),
    ("DEMO-010", "male", "18-25", "in_transit", "EC-C", 18, None, "applies", [(9, 9, 7)]),
    ("DEMO-011", "female", "26-59", "in_destination", "EC-G", 15, None, None, []),
    ("DEMO-012", "female", "18-25", "in_destination", "EC-M", 12, None, None, []),
    ("DEMO-013", "male", "26-59", "in_destination", "EC-R", 4, None, None, []),
    ("DEMO-014", "female", "26-59", "host", "EC-P", 45, 43, None, []),
]


@dataclass
class StabilisationDemoSummary:
    created: int = 0
    reason: str = ""

    def describe(self) -> str:
        if self.created:
            return f"Demo stabilisation beneficiaries: {self.created} created."
        return f"Demo stabilisation programme: none created ({self.reason})."


def _demo_user(role: str) -> Any:
    return (
        User.objects.filter(is_demo=True, is_active=True, role=role, organization__acronym="CARE")
        .order_by("pk")
        .first()
    )


def load_stabilisation_demo(now: dt.datetime | None = None) -> StabilisationDemoSummary:
    summary = StabilisationDemoSummary()
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    operator = _demo_user(Role.HELPLINE)
    if operator is None:
        summary.reason = "the CARE helpline demo account is missing"
        return summary
    # The programme is the evidence of the good practice it follows (seed 004).
    practice = Practice.objects.filter(code="BP5_PC").first()
    loaded = Programme.objects.filter(name=NAME).first()
    if loaded is not None:
        if loaded.practice_id is None and practice is not None:
            loaded.practice = practice
            loaded.save(update_fields=["practice"])
        summary.reason = "already loaded"
        return summary
    donor = (
        Organization.objects.filter(acronym__in=["OIM Ecuador", "OIM"]).order_by("-acronym").first()
    )
    cash = list(Reason.objects.filter(code__in=["cash", "emotional_distress"]))
    with transaction.atomic():
        programme = Programme.objects.create(
            organization=operator.organization,
            donor=donor,
            name=NAME,
            admin1_codes=ADMIN1,
            cities=CITIES,
            delay_days=DELAY_DAYS,
            target_people=2100,
            budget=Decimal("15000"),
            currency="USD",
            starts_on=today - dt.timedelta(days=60),
            practice=practice,
        )
        for code, sex, band, population, admin1, expected, paid, outcome, contacts in PEOPLE:
            person, _new = actions.enrol(
                programme,
                code,
                name=f"Persona ficticia {code[-3:]}",
                sex=sex,
                age_band=band,
                population_type=population,
                admin1=admin1,
            )
            expected_on = today - dt.timedelta(days=expected)
            payment = actions.set_payment(person, expected_on, amount=Decimal("120"))
            queued_on = expected_on + dt.timedelta(days=DELAY_DAYS)
            paid_on = None if paid is None else today - dt.timedelta(days=paid)
            # Those still waiting without a contact enter the queue today, with the
            # notification the daily run sends (``refresh_queue`` below).
            history = paid_on is not None or bool(contacts)
            if history and queued_on < today and (paid_on is None or paid_on > queued_on):
                QueueEntry.objects.create(beneficiary=person, payment=payment, entered_on=queued_on)
            if outcome is not None:
                actions.record_check(
                    operator,
                    person,
                    outcome=CheckOutcome(outcome),
                    needs=[Need.EMOTIONAL, Need.FOOD] if outcome == "applies" else [],
                    checked_on=queued_on + dt.timedelta(days=1),
                )
            for days, before, after in contacts:
                started = timezone.localtime(now - dt.timedelta(days=days)).replace(
                    hour=10, minute=0, second=0, microsecond=0
                )
                contact = actions.record_contact(
                    operator,
                    person,
                    reasons=cash,
                    started_at=started,
                    ended_at=started + dt.timedelta(minutes=25),
                    sex=sex,
                    age_band=band,
                    population_type=population,
                    what_was_done="Escucha activa mientras llega el pago (ficticio).",
                )
                helpline_actions.record_first_aid(
                    operator,
                    contact,
                    distress_before=before,
                    distress_after=after,
                    needs="Angustia por el retraso del pago (ficticio).",
                    information_given="Fecha estimada del pago y servicios cercanos (ficticio).",
                    follow_up="",
                )
                helpline_actions.close_contact(operator, contact)
            if paid_on is not None:
                actions.set_payment(person, expected_on, paid_on=paid_on)
            summary.created += 1
        actions.refresh_queue(today, [programme])
    return summary


def remove_stabilisation_demo() -> int:
    with transaction.atomic():
        programmes = Programme.objects.filter(name=NAME)
        people = 0
        for programme in programmes:
            people += programme.beneficiaries.count()
            Contact.objects.filter(stabilisation_link__beneficiary__programme=programme).delete()
        programmes.delete()
    return people


def load_demo() -> StabilisationDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_stabilisation_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("stabilisation beneficiaries", remove_stabilisation_demo())
