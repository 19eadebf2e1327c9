"""The home page of a reader of figures shows the outcome measures over the last twelve
full months and the helpline's contacts of the last three, in the reader's scope: counts
only, a percentage hidden below the small-cell threshold of people measured."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import verified_login
from ruta.helpline.tests.factories import make_contact
from ruta.indicators.summary import outcome_summary
from ruta.indicators.tests.test_computations import LIMA, at, d, new_case, travel, who5

pytestmark = [pytest.mark.django_db, pytest.mark.dates, pytest.mark.usefixtures("english")]

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=LIMA)  # last full month: May 2026


def _improved_at_care(world: Any) -> None:
    """Five CARE cases measured in March: three rose by 10 points or more (3 of 5)."""
    care = world.user("caseworker.care")
    for first, last in ((40, 60), (40, 52), (20, 40), (40, 44), (60, 56)):
        case = new_case(world, "care", d(3, 1))
        who5(care, case, first, d(3, 5))
        who5(care, case, last, d(3, 25))


def test_outcome_summary_in_scope_with_small_cells_hidden(world: Any) -> None:
    _improved_at_care(world)
    start, end, network = outcome_summary(None, dt.date(2026, 5, 1))
    assert (start, end) == (dt.date(2025, 6, 1), dt.date(2026, 5, 31))
    who = network[0]
    assert who.indicator.computation == "who5_improved_pct"
    assert (who.value, who.numerator, who.denominator, who.too_few) == ("60.0", 3, 5, False)
    # HIAS measured nobody; PHQ-9 and GAD-7 were not given at all.
    (hias_who, *_rest) = outcome_summary(frozenset({world.hias.pk}), dt.date(2026, 5, 1))[2]
    assert (hias_who.value, hias_who.denominator, hias_who.too_few) == ("", 0, True)
    assert all(item.too_few and item.value == "" for item in network[1:])


def test_the_analysts_home_shows_outcomes_and_helpline_volume(world: Any, client: Any) -> None:
    _improved_at_care(world)
    operator = world.user("helpline.care")
    for day in (2, 9):
        with travel(at(d(5, day))):
            make_contact(operator)
    with travel(at(d(4, 20))):
        for _ in range(5):
            make_contact(operator)
    with travel(NOW):
        verified_login(client, world.user("analyst"))
        page = client.get("/en/").content.decode()
    assert "Outcomes and helpline" in page
    assert "<strong>60.0%</strong> (3 of 5 people)" in page
    assert "too few people measured to show (0)" in page  # PHQ-9 and GAD-7
    # Helpline: March 0, April 5, May 2 (shown as a range).
    rows = page[page.index("Helpline contacts by month") :]
    march, april, may = (rows.index(month) for month in ("March 2026", "April 2026", "May 2026"))
    assert march < april < may
    assert "February 2026" not in rows  # three months, not four
    assert ">5</td>" in rows[april:may] and "&lt;5</td>" in rows[may:]


def test_an_agency_reader_sees_its_own_agency_and_a_caseworker_no_section(
    world: Any, client: Any
) -> None:
    _improved_at_care(world)
    with travel(NOW):
        verified_login(client, world.user("agency_admin.hias"))
        page = client.get("/en/").content.decode()
        assert "Outcomes and helpline" in page and "3 of 5 people" not in page
        verified_login(client, world.user("caseworker.care"))
        assert "Outcomes and helpline" not in client.get("/en/").content.decode()
