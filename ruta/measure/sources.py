"""The built-in reach sources: group and community activities (anonymous counts and
registered participants), cases (new and active in the month) and helpline contacts.

Keys are pseudonymous and namespaced by source: an activity participant's keyed hash
(already a hash of the agency's code) and a case client's public uuid, never a name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from ruta.activities.models import Attendance, PopulationType, Sector, SessionCount
from ruta.cases.models import AgeBand, Case, CaseType, Sex
from ruta.helpline.models import Contact
from ruta.measure.registry import ReachRow, SexAge, claimed, register

POPULATION_CODES = frozenset(PopulationType.values)

CASE_SECTORS = {
    CaseType.GBV: Sector.PROTECTION_GBV,
    CaseType.MHPSS: Sector.HEALTH_MHPSS,
    CaseType.CHILD_PROTECTION: Sector.CHILD_PROTECTION,
}
CHILD_BANDS = {AgeBand.AGE_0_5, AgeBand.AGE_6_11, AgeBand.AGE_12_14, AgeBand.AGE_15_17}
ADULT_BANDS = {AgeBand.AGE_18_25, AgeBand.AGE_26_59, AgeBand.AGE_60}
COUNT_GROUPS = (
    ("girls", SexAge.GIRL),
    ("boys", SexAge.BOY),
    ("women", SexAge.WOMAN),
    ("men", SexAge.MAN),
    ("other", SexAge.OTHER),
)


def activity_counts(
    start: dt.date, end: dt.date, organization_ids: frozenset[int] | None
) -> Iterator[ReachRow]:
    """Anonymous counts: one row per sex and age group, plus one with LGBTIQ+/disability."""
    counts = SessionCount.objects.filter(session__date__range=(start, end)).select_related(
        "session__activity__admin1", "session__activity__admin2"
    )
    if organization_ids is not None:
        counts = counts.filter(session__activity__organization_id__in=organization_ids)
    for count in counts:
        activity = count.session.activity
        base: dict[str, Any] = {
            "source": "activities",
            "day": count.session.date,
            "organization_id": activity.organization_id,
            "admin1": activity.admin1.code if activity.admin1 else "",
            "admin2": activity.admin2.code if activity.admin2 else "",
            "sector": activity.sector,
            "population_type": count.population_type,
        }
        for field, group in COUNT_GROUPS:
            people = getattr(count, field)
            if people:
                yield ReachRow(**base, sex_age=group, count=people)
        if count.lgbtiq or count.disability:
            yield ReachRow(
                **base, sex_age="", count=0, lgbtiq=count.lgbtiq, disability=count.disability
            )


def activity_participants(
    start: dt.date, end: dt.date, organization_ids: frozenset[int] | None
) -> Iterator[ReachRow]:
    """Registered participants: one row per attendance, keyed by the participant."""
    attendance = Attendance.objects.filter(session__date__range=(start, end)).select_related(
        "participant", "session__activity__admin1", "session__activity__admin2"
    )
    if organization_ids is not None:
        attendance = attendance.filter(session__activity__organization_id__in=organization_ids)
    for mark in attendance:
        activity, person = mark.session.activity, mark.participant
        yield ReachRow(
            source="activities",
            day=mark.session.date,
            organization_id=activity.organization_id,
            admin1=activity.admin1.code if activity.admin1 else "",
            admin2=activity.admin2.code if activity.admin2 else "",
            sector=activity.sector,
            population_type=person.population_type,
            sex_age=person.sex_age,
            person_key=f"activity-participant:{person.code_hash}",
            lgbtiq=int(person.lgbtiq),
            disability=int(person.disability),
        )


def _case_group(sex: str, age_band: str) -> str:
    female, male = sex == Sex.FEMALE, sex == Sex.MALE
    if age_band in CHILD_BANDS:
        return SexAge.GIRL if female else SexAge.BOY if male else SexAge.OTHER
    if age_band in ADULT_BANDS:
        return SexAge.WOMAN if female else SexAge.MAN if male else SexAge.OTHER
    return SexAge.OTHER


def _month_starts(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def cases(
    start: dt.date, end: dt.date, organization_ids: frozenset[int] | None
) -> Iterator[ReachRow]:
    """A case reaches its client in every month it is open (opened on or before the month's
    end, not closed before the month began): new and active cases alike. The row's day is
    the first day of the month in which it was open (or the opening day)."""
    found = Case.objects.filter(opened_on__lte=end).exclude(closed_on__lt=start)
    if organization_ids is not None:
        found = found.filter(organization_id__in=organization_ids)
    for case in found.select_related("client"):
        client = case.client
        for month in _month_starts(start, end):
            month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            if case.opened_on > month_end or (case.closed_on and case.closed_on < month):
                continue
            yield ReachRow(
                source="cases",
                day=max(month, case.opened_on, start),
                organization_id=case.organization_id,
                admin1=client.admin1,
                admin2="",
                sector=CASE_SECTORS.get(case.case_type, Sector.PROTECTION),  # type: ignore[call-overload]
                population_type=client.population_type,
                sex_age=_case_group(client.sex, client.age_band),
                person_key=f"case-client:{client.uuid}",
                disability=int(client.has_disability),
            )


def helpline_contacts(
    start: dt.date, end: dt.date, organization_ids: frozenset[int] | None
) -> Iterator[ReachRow]:
    """Helpline and PFA contacts (Health: MHPSS): keyed by the keyed hash of the caller's
    number when one was given (a caller who calls again counts once), else anonymous."""
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    contacts = Contact.objects.filter(started_at__gte=low, started_at__lt=high)
    if organization_ids is not None:
        contacts = contacts.filter(organization_id__in=organization_ids)
    for ids in claimed("helpline.Contact"):  # counted by their own source (stabilisation)
        contacts = contacts.exclude(pk__in=ids())
    for contact in contacts.only(
        "organization_id",
        "started_at",
        "admin1",
        "admin2",
        "population_type",
        "sex",
        "age_band",
        "phone_hash",
        "disability",
    ):
        population = contact.population_type
        yield ReachRow(
            source="helpline",
            day=timezone.localtime(contact.started_at, zone).date(),
            organization_id=contact.organization_id,
            admin1=contact.admin1,
            admin2=contact.admin2,
            sector=Sector.HEALTH_MHPSS,
            population_type=population if population in POPULATION_CODES else "",
            sex_age=_case_group(contact.sex, contact.age_band),
            person_key=f"helpline-phone:{contact.phone_hash}" if contact.phone_hash else None,
            disability=int(contact.disability == "yes"),
        )


def register_builtin() -> None:
    register("activity_counts", activity_counts)
    register("activity_participants", activity_participants)
    register("cases", cases)
    register("helpline", helpline_contacts)
