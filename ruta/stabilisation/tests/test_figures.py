"""BP5_PC's two indicators and the bridge's figures on a known dataset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from ruta.helpline import actions as helpline_actions
from ruta.measure import facts, reach, registry
from ruta.measure.models import DirtyMonth
from ruta.stabilisation import actions, figures
from ruta.stabilisation.models import CheckOutcome, Programme
from ruta.stabilisation.tests.factories import make_beneficiary, make_programme

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 20)


def _contact(operator: Any, person: Any, days_ago: int, before: int, after: int) -> Any:
    started = MOMENT - dt.timedelta(days=days_ago)
    contact = actions.record_contact(
        operator, person, started_at=started, ended_at=started + dt.timedelta(minutes=20)
    )
    helpline_actions.record_first_aid(
        operator,
        contact,
        distress_before=before,
        distress_after=after,
        needs="",
        information_given="",
    )
    return contact


def build(world: Any) -> Programme:
    """Five beneficiaries, seven days' threshold, all queued on 2026-11-08:

    - A (woman, EC-P): check "applies" on 11-09, two contacts (8→5, 6→4), paid 11-15.
    - B (man, EC-C): check "applies" on 11-12; one contact on 11-10 (before the check, not a
      mechanism) and one on 11-13 (7→4); paid 11-18.
    - C (woman, EC-P): check "not needed"; one contact 11-10 (no scores); still waiting.
    - D (woman, EC-P): check "applies" 11-09, one contact 11-11 (9→6); still waiting.
    - E (man, EC-C): queued, no check, no contact; paid 11-19.
    """
    operator = world.user("helpline.care")
    programme = make_programme(world.care, delay_days=7, target_people=10)
    expected = dt.date(2026, 11, 1)
    people = {}
    for key, sex, admin1 in (
        ("A", "female", "EC-P"),
        ("B", "male", "EC-C"),
        ("C", "female", "EC-P"),
        ("D", "female", "EC-P"),
        ("E", "male", "EC-C"),
    ):
        people[key] = make_beneficiary(
            programme, key, expected, sex=sex, age_band="26-59", admin1=admin1
        )
    actions.refresh_queue(dt.date(2026, 11, 8))
    check = actions.record_check
    check(operator, people["A"], outcome=CheckOutcome.APPLIES, checked_on=dt.date(2026, 11, 9))
    check(operator, people["B"], outcome=CheckOutcome.APPLIES, checked_on=dt.date(2026, 11, 12))
    check(operator, people["C"], outcome=CheckOutcome.NOT_NEEDED, checked_on=dt.date(2026, 11, 9))
    check(operator, people["D"], outcome=CheckOutcome.APPLIES, checked_on=dt.date(2026, 11, 9))
    _contact(operator, people["A"], 10, 8, 5)  # 11-10
    _contact(operator, people["A"], 7, 6, 4)  # 11-13
    _contact(operator, people["B"], 10, 7, 7)  # 11-10: before B's check
    _contact(operator, people["B"], 7, 7, 4)  # 11-13
    started = MOMENT - dt.timedelta(days=10)
    actions.record_contact(operator, people["C"], started_at=started)
    _contact(operator, people["D"], 9, 9, 6)  # 11-11
    for key, day in (("A", 15), ("B", 18), ("E", 19)):
        actions.set_payment(people[key], expected, paid_on=dt.date(2026, 11, day))
    return programme


@time_machine.travel(MOMENT, tick=False)
def test_the_two_indicators_on_a_known_dataset(world: Any) -> None:
    programme = build(world)
    found = figures.compute(Programme.objects.filter(pk=programme.pk), TODAY)
    # A's two contacts, B's second, D's one: C's check said no, B's first came before.
    assert found.mechanisms == 4
    # A and B had contacts in the queue and were paid; E was paid without any contact.
    assert found.people_until_paid == 2
    assert found.progress == 20
    assert (found.queued_ever, found.in_queue) == (5, 2)
    assert (found.people_stabilised, found.contacts) == (4, 6)
    assert found.contacts_per_person == 1.5
    assert found.checks_applied == 3
    # Delay: A 14, B 17, E 18 days; C and D 19 days to today.
    assert found.mean_delay_days == round((14 + 17 + 18 + 19 + 19) / 5, 1)
    # Distress change over the five contacts with both scores: -3, -2, 0, -3, -3.
    assert (found.distress_n, found.distress_change) == (5, -2.2)
    assert found.by_territory == [("EC-C", 1), ("EC-P", 3)]
    assert dict(found.by_profile["sex"]) == {"Femenino": 3, "Masculino": 1}
    assert figures.shown_rows(found.by_territory) == [("EC-C", "<5"), ("EC-P", "<5")]


@time_machine.travel(MOMENT, tick=False)
def test_the_reach_source_keys_people_by_their_code(world: Any) -> None:
    programme = build(world)
    rows = [
        row for row in registry.rows(dt.date(2026, 11, 1), TODAY) if row.source == "stabilisation"
    ]
    assert len(rows) == 6
    keys = {row.person_key for row in rows}
    assert keys == {f"stabilisation:{actions.beneficiary_code(programme, key)}" for key in "ABCD"}
    assert {row.sex_age for row in rows} == {"woman", "man"}
    # The same contacts are not counted again by the helpline source.
    everything = registry.rows(dt.date(2026, 11, 1), TODAY)
    assert not [row for row in everything if row.source == "helpline"]
    assert not [
        row
        for row in registry.rows(dt.date(2026, 11, 1), TODAY, frozenset({world.hias.pk}))
        if row.source == "stabilisation"
    ]


def test_a_changed_beneficiary_marks_the_months_of_their_contacts(world: Any) -> None:
    """The reach facts stay equal to the live figures when a payment sheet gives a
    beneficiary contacted in an earlier month a new profile."""
    with time_machine.travel(dt.datetime(2026, 9, 10, 15, 0, tzinfo=dt.UTC), tick=False):
        programme = make_programme(world.care, delay_days=7)
        person = make_beneficiary(
            programme, "HH-9", dt.date(2026, 9, 1), sex="female", age_band="26-59"
        )
        actions.record_contact(world.user("helpline.care"), person)
    september, october = dt.date(2026, 9, 1), dt.date(2026, 10, 1)
    with time_machine.travel(dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC), tick=False):
        facts.refresh()
        assert not DirtyMonth.objects.exists()
        assert facts.figures(september, september) == reach.compute(september, september)
        actions.enrol(programme, "HH-9", sex="male", admin1="EC-C")
        assert set(DirtyMonth.objects.values_list("month", flat=True)) == {september}
        facts.refresh()
        live = reach.compute(september, october)
        assert facts.figures(september, october) == live
        (figure,) = live
        assert figure.cell.admin1 == "EC-C" and figure.total_by_group["man"] == 1
