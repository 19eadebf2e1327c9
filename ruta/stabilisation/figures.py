"""BP5_PC's figures, computed from the records, never a person.

- **Mechanisms applied** (indicator 1): stabilisation contacts made on or after a needs
  check of the same beneficiary that found stabilisation applies.
- **People stabilised until the transfer** (indicator 2): beneficiaries with at least
  one stabilisation contact during a queue entry that ended with the payment made.
- Days of delay (expected date to payment, or to today while unpaid) of the payments that
  put people in the queue; contacts per person stabilised; distress change (after minus
  before, 0-10) over contacts with both scores; people stabilised by territory and profile,
  counts below the small-cell threshold shown as "<N"; targets against results.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ruta.cases.models import Sex
from ruta.helpline.figures import shown
from ruta.helpline.models import AGE_BAND_CHOICES, POPULATION_CHOICES, Disability
from ruta.stabilisation.models import (
    Beneficiary,
    CheckOutcome,
    LeftReason,
    NeedsCheck,
    Programme,
    QueueEntry,
    StabilisationContact,
)


@dataclass
class Figures:
    mechanisms: int = 0
    people_until_paid: int = 0
    people_stabilised: int = 0
    in_queue: int = 0
    queued_ever: int = 0
    contacts: int = 0
    checks_applied: int = 0
    mean_delay_days: float | None = None
    contacts_per_person: float | None = None
    distress_n: int = 0
    distress_change: float | None = None
    target_people: int = 0
    budget: Decimal = Decimal(0)
    currencies: list[str] = field(default_factory=list)
    by_territory: list[tuple[str, int]] = field(default_factory=list)
    by_profile: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def progress(self) -> int | None:
        """People stabilised until the transfer against the target, in percent."""
        if not self.target_people:
            return None
        return round(100 * self.people_until_paid / self.target_people)


def _labels(choices: Any) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


def compute(programmes: QuerySet[Programme], on: dt.date | None = None) -> Figures:
    on = on or timezone.localdate()
    zone = timezone.get_current_timezone()
    found = Figures()
    ids = list(programmes.values_list("pk", flat=True))
    for target, budget, currency in programmes.values_list("target_people", "budget", "currency"):
        found.target_people += target
        found.budget += budget
        if currency not in found.currencies:
            found.currencies.append(currency)
    links = list(
        StabilisationContact.objects.filter(beneficiary__programme_id__in=ids).values_list(
            "beneficiary_id",
            "queue_entry_id",
            "contact__started_at",
            "contact__distress_before",
            "contact__distress_after",
        )
    )
    applied: dict[int, dt.date] = {}
    for beneficiary_id, checked_on in (
        NeedsCheck.objects.filter(beneficiary__programme_id__in=ids, outcome=CheckOutcome.APPLIES)
        .order_by("checked_on")
        .values_list("beneficiary_id", "checked_on")
    ):
        applied.setdefault(beneficiary_id, checked_on)
    found.checks_applied = len(applied)
    stabilised: set[int] = set()
    changes: list[int] = []
    entries_with_contact: set[int] = set()
    for beneficiary_id, entry_id, started_at, before, after in links:
        day = timezone.localtime(started_at, zone).date()
        first_check = applied.get(beneficiary_id)
        if first_check is not None and first_check <= day:
            found.mechanisms += 1
        stabilised.add(beneficiary_id)
        if entry_id is not None:
            entries_with_contact.add(entry_id)
        if before is not None and after is not None:
            changes.append(after - before)
    found.contacts = len(links)
    found.people_stabilised = len(stabilised)
    if stabilised:
        found.contacts_per_person = round(len(links) / len(stabilised), 1)
    found.distress_n = len(changes)
    if changes:
        found.distress_change = round(mean(changes), 1)
    entries = list(
        QueueEntry.objects.filter(beneficiary__programme_id__in=ids).values_list(
            "pk",
            "beneficiary_id",
            "left_on",
            "left_reason",
            "payment__expected_on",
            "payment__paid_on",
        )
    )
    found.queued_ever = len({entry[1] for entry in entries})
    found.in_queue = len({entry[1] for entry in entries if entry[2] is None})
    found.people_until_paid = len(
        {
            beneficiary_id
            for pk, beneficiary_id, _left, reason, _exp, _paid in entries
            if reason == LeftReason.PAID and pk in entries_with_contact
        }
    )
    delays = [((paid or on) - expected).days for *_rest, expected, paid in entries]
    if delays:
        found.mean_delay_days = round(mean(delays), 1)
    people = list(
        Beneficiary.objects.filter(pk__in=stabilised).values_list(
            "admin1", "sex", "age_band", "population_type", "disability"
        )
    )
    found.by_territory = sorted(Counter(p[0] or "—" for p in people).items())
    vocabularies = (
        ("sex", 1, _labels(Sex.choices)),
        ("age_band", 2, _labels(AGE_BAND_CHOICES)),
        ("population_type", 3, _labels(POPULATION_CHOICES)),
        ("disability", 4, _labels(Disability.choices)),
    )
    for name, index, labels in vocabularies:
        counts = Counter(p[index] for p in people)
        found.by_profile[name] = [
            (labels.get(value, "—") if value else "—", count)
            for value, count in sorted(counts.items())
        ]
    return found


def shown_rows(pairs: list[tuple[str, int]]) -> list[tuple[str, str]]:
    """Breakdown rows as the page shows them: small cells suppressed."""
    return [(label, shown(count)) for label, count in pairs if count]
