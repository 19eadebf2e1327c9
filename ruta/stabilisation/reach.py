"""The stabilisation programmes' reach source: one row per stabilisation contact (Health:
MHPSS), keyed by the beneficiary's pseudonymous code, so a person stabilised several
times counts once. Their contacts are helpline contacts: this source claims them
(``registry.claim``) so the helpline source does not count them again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from ruta.activities.models import PopulationType, Sector
from ruta.cases.models import AgeBand, Sex
from ruta.measure.facts import contact_days
from ruta.measure.registry import ReachRow, SexAge
from ruta.stabilisation.models import StabilisationContact

CHILD_BANDS = {AgeBand.AGE_0_5, AgeBand.AGE_6_11, AgeBand.AGE_12_14, AgeBand.AGE_15_17}
ADULT_BANDS = {AgeBand.AGE_18_25, AgeBand.AGE_26_59, AgeBand.AGE_60}
POPULATION_CODES = frozenset(PopulationType.values)


def sex_age(sex: str, age_band: str) -> str:
    female, male = sex == Sex.FEMALE, sex == Sex.MALE
    if age_band in CHILD_BANDS:
        return SexAge.GIRL if female else SexAge.BOY if male else SexAge.OTHER
    if age_band in ADULT_BANDS:
        return SexAge.WOMAN if female else SexAge.MAN if male else SexAge.OTHER
    return SexAge.OTHER


def beneficiary_contact_days(person: Any) -> list[dt.date]:
    """The days of ``person``'s stabilisation contacts (the months their profile feeds)."""
    moments = StabilisationContact.objects.filter(beneficiary=person).values_list(
        "contact__started_at", flat=True
    )
    return [timezone.localdate(moment) for moment in moments if moment]


def link_days(link: Any) -> list[dt.date]:
    """The day of the contact a stabilisation link counts."""
    return contact_days(link.contact)


def claimed_contacts() -> Any:
    """The helpline contacts this source counts (the measure's helpline source skips them)."""
    return StabilisationContact.objects.values("contact_id")


def stabilisation_reach(
    start: dt.date, end: dt.date, organization_ids: frozenset[int] | None
) -> Iterator[ReachRow]:
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    links = StabilisationContact.objects.filter(
        contact__started_at__gte=low, contact__started_at__lt=high
    ).select_related("beneficiary__programme", "contact")
    if organization_ids is not None:
        links = links.filter(beneficiary__programme__organization_id__in=organization_ids)
    for link in links:
        person = link.beneficiary
        population = person.population_type
        yield ReachRow(
            source="stabilisation",
            day=timezone.localtime(link.contact.started_at, zone).date(),
            organization_id=person.programme.organization_id,
            admin1=person.admin1,
            admin2=person.admin2,
            sector=Sector.HEALTH_MHPSS,
            population_type=population if population in POPULATION_CODES else "",
            sex_age=sex_age(person.sex, person.age_band),
            person_key=f"stabilisation:{person.code}",
            disability=int(person.disability == "yes"),
        )
