"""An indicator's result for a period and a project's progress: the calendar periods, the
values entered by hand (added up, pooled, or refused), the status of a target and the
progress of a project's indicators on a day given explicitly."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruta.activities import actions as activity_actions
from ruta.activities.models import Activity, ActivityType, Sector
from ruta.indicators.computations import Result, Scope
from ruta.indicators.models import (
    Framework,
    Indicator,
    IndicatorValue,
    Level,
    Project,
    ProjectIndicator,
    Target,
    Unit,
)
from ruta.indicators.results import (
    Granularity,
    Progress,
    Status,
    as_text,
    manual_result,
    periods,
    progress,
    result,
    series,
    status,
)
from ruta.places.models import AdminArea

D = dt.date
Q1 = (D(2026, 1, 1), D(2026, 3, 31))
Q2 = (D(2026, 4, 1), D(2026, 6, 30))
Q3 = (D(2026, 7, 1), D(2026, 9, 30))


# --- periods -------------------------------------------------------------------------------


def test_months_are_clipped_to_the_first_and_the_last_day() -> None:
    assert list(periods(D(2026, 1, 15), D(2026, 3, 10), Granularity.MONTH)) == [
        (D(2026, 1, 15), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 10)),
    ]
    assert list(periods(D(2028, 2, 1), D(2028, 2, 29), Granularity.MONTH)) == [
        (D(2028, 2, 1), D(2028, 2, 29))
    ]
    assert list(periods(D(2026, 5, 9), D(2026, 5, 9), Granularity.MONTH)) == [
        (D(2026, 5, 9), D(2026, 5, 9))
    ]


def test_quarters_run_over_a_year_boundary() -> None:
    assert list(periods(D(2025, 11, 20), D(2026, 5, 5), Granularity.QUARTER)) == [
        (D(2025, 11, 20), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 5, 5)),
    ]
    assert list(periods(D(2026, 1, 1), D(2026, 12, 31), Granularity.QUARTER)) == [
        Q1,
        Q2,
        Q3,
        (D(2026, 10, 1), D(2026, 12, 31)),
    ]


def test_years_are_clipped_at_both_ends() -> None:
    assert list(periods(D(2025, 6, 1), D(2027, 2, 10), Granularity.YEAR)) == [
        (D(2025, 6, 1), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 2, 10)),
    ]
    assert list(periods(D(2026, 12, 31), D(2027, 1, 1), Granularity.YEAR)) == [
        (D(2026, 12, 31), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 1, 1)),
    ]


@pytest.mark.parametrize("granularity", Granularity.ALL)
def test_an_end_before_the_start_gives_no_period(granularity: str) -> None:
    # Within one calendar unit: the unit's first day is not after the end.
    assert list(periods(D(2026, 3, 2), D(2026, 3, 1), granularity)) == []
    assert list(periods(D(2027, 1, 1), D(2026, 12, 31), granularity)) == []


def calendar_unit(day: dt.date, granularity: str) -> tuple[int, int]:
    if granularity == Granularity.MONTH:
        return day.year, day.month
    if granularity == Granularity.QUARTER:
        return day.year, (day.month - 1) // 3
    return day.year, 0


@given(
    start=st.dates(min_value=D(1999, 1, 1), max_value=D(2099, 12, 31)),
    days=st.integers(min_value=0, max_value=1500),
    granularity=st.sampled_from(Granularity.ALL),
)
def test_periods_partition_the_days_into_calendar_units(
    start: dt.date, days: int, granularity: str
) -> None:
    end = start + dt.timedelta(days=days)
    found = list(periods(start, end, granularity))
    assert found[0][0] == start and found[-1][1] == end
    one_day = dt.timedelta(days=1)
    for (_first, last), (following, _end) in itertools.pairwise(found):
        assert following == last + one_day  # contiguous: no gap, no overlap
        # A unit ends where the next begins: the boundary is a change of calendar unit.
        assert calendar_unit(last, granularity) != calendar_unit(following, granularity)
    for first, last in found:
        assert first <= last
        assert calendar_unit(first, granularity) == calendar_unit(last, granularity)
    units = {calendar_unit(start + dt.timedelta(days=n), granularity) for n in range(days + 1)}
    assert len(found) == len(units)


# --- values entered by hand ----------------------------------------------------------------


@pytest.fixture
def framework(db: Any) -> Framework:
    return Framework.objects.create(code="test-fw", name_es="Prueba", name_en="Test")


def indicator(framework: Framework, unit: str, computation: str = "") -> Indicator:
    return Indicator.objects.create(
        framework=framework,
        code=f"T.{Indicator.objects.filter(framework=framework).count() + 1}",
        level=Level.OUTPUT_INDICATOR,
        wording_es="Indicador de prueba",
        wording_en="Test indicator",
        unit=unit,
        computation=computation,
    )


def value(
    indicator: Indicator,
    organization: Any,
    start: dt.date,
    end: dt.date,
    amount: str,
    numerator: int | None = None,
    denominator: int | None = None,
) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator,
        organization=organization,
        period_start=start,
        period_end=end,
        value=Decimal(amount),
        numerator=numerator,
        denominator=denominator,
    )


def scope(*orgs: Any, period: tuple[dt.date, dt.date] = Q1) -> Scope:
    return Scope(period[0], period[1], frozenset(o.pk for o in orgs) if orgs else None)


def test_counts_entered_by_hand_add_up(world: Any, framework: Framework) -> None:
    people = indicator(framework, Unit.COUNT)
    value(people, world.care, D(2026, 1, 1), D(2026, 1, 31), "10")
    value(people, world.care, D(2026, 2, 1), D(2026, 2, 28), "5")
    value(people, world.hias, D(2026, 1, 1), D(2026, 3, 31), "7")
    value(people, world.care, D(2025, 12, 15), D(2026, 1, 15), "100")  # starts before
    value(people, world.care, D(2026, 3, 1), D(2026, 4, 30), "100")  # ends after
    value(people, None, D(2025, 10, 1), D(2025, 12, 31), "100")  # the network, last year

    assert manual_result(people, scope()) == Result(Decimal(22))
    assert manual_result(people, scope(world.care)) == Result(Decimal(15))
    assert manual_result(people, scope(world.hias)) == Result(Decimal(7))
    assert manual_result(people, scope(world.outsider_org)) == Result(None)


def test_the_networks_own_values_come_before_the_organizations_sum(
    world: Any, framework: Framework
) -> None:
    people = indicator(framework, Unit.COUNT)
    value(people, world.care, D(2026, 1, 1), D(2026, 3, 31), "10")
    value(people, world.hias, D(2026, 1, 1), D(2026, 3, 31), "7")
    value(people, None, D(2026, 1, 1), D(2026, 3, 31), "30")

    assert manual_result(people, scope()).value == Decimal(30)
    assert manual_result(people, scope(world.care)).value == Decimal(10)
    assert manual_result(people, scope(world.care, world.hias)).value == Decimal(17)


def test_a_single_percentage_is_taken_as_it_is(world: Any, framework: Framework) -> None:
    share = indicator(framework, Unit.PERCENT)
    value(share, world.care, D(2026, 1, 1), D(2026, 3, 31), "37.5")
    value(share, world.hias, D(2026, 1, 1), D(2026, 3, 31), "62.5", 5, 8)

    assert manual_result(share, scope(world.care)) == Result(Decimal("37.5"))
    assert manual_result(share, scope(world.hias)) == Result(Decimal("62.5"), 5, 8)


def test_several_percentages_pool_their_numerators_and_denominators(
    world: Any, framework: Framework
) -> None:
    share = indicator(framework, Unit.PERCENT)
    value(share, world.care, D(2026, 1, 1), D(2026, 1, 31), "37.5", 3, 8)
    value(share, world.care, D(2026, 2, 1), D(2026, 2, 28), "41.67", 5, 12)
    value(share, world.hias, D(2026, 1, 1), D(2026, 3, 31), "20", 1, 5)

    # Not the mean of 37.5, 41.67 and 20: (3 + 5 + 1) / (8 + 12 + 5) = 36 %.
    assert manual_result(share, scope()) == Result(Decimal("36.0"), 9, 25)
    assert manual_result(share, scope(world.care)) == Result(Decimal("40.0"), 8, 20)


def test_several_percentages_without_numerators_cannot_be_combined(
    world: Any, framework: Framework
) -> None:
    share = indicator(framework, Unit.PERCENT)
    value(share, world.care, D(2026, 1, 1), D(2026, 1, 31), "37.5", 3, 8)
    value(share, world.care, D(2026, 2, 1), D(2026, 2, 28), "50")
    value(share, world.hias, D(2026, 1, 1), D(2026, 3, 31), "20")

    assert manual_result(share, scope()) == Result(None)  # one of three has none
    assert manual_result(share, scope(world.care)) == Result(None)
    # A month with a single value is still taken as it is.
    january = (D(2026, 1, 1), D(2026, 1, 31))
    assert manual_result(share, scope(world.care, period=january)) == Result(Decimal("37.5"), 3, 8)


def test_several_times_in_days_cannot_be_combined(world: Any, framework: Framework) -> None:
    days = indicator(framework, Unit.DAYS)
    value(days, world.care, D(2026, 1, 1), D(2026, 1, 31), "2.5")
    value(days, world.care, D(2026, 2, 1), D(2026, 2, 28), "3.5")

    assert manual_result(days, scope(world.care)) == Result(None)
    feb = (D(2026, 2, 1), D(2026, 2, 28))
    assert manual_result(days, scope(world.care, period=feb)) == Result(Decimal("3.5"))


# --- computed indicators, series -----------------------------------------------------------


def sessions_on(world: Any, org: str, region: str, *days: dt.date) -> None:
    actor = world.user(f"caseworker.{org}")
    activity = activity_actions.save_activity(
        actor,
        Activity(
            title="Grupo de apoyo",
            activity_type=ActivityType.objects.get(code="support_group"),
            layers=[2],
            sector=Sector.PROTECTION_GBV,
            admin1=AdminArea.objects.get(code=region),
        ),
        created=True,
    )
    for day in days:
        activity_actions.add_session(actor, activity, day, "in_person")


def test_a_computed_indicator_asks_its_computation(world: Any, framework: Framework) -> None:
    held = indicator(framework, Unit.COUNT, "sessions_held")
    value(held, world.care, *Q1, "99")  # a value entered by hand is not read
    sessions_on(world, "care", "PE-LIM", D(2026, 1, 10), D(2026, 2, 10))
    sessions_on(world, "hias", "PE-CUS", D(2026, 3, 10))

    assert result(held, scope()) == Result(Decimal(3))
    assert result(held, scope(world.care)) == Result(Decimal(2))
    in_cusco = Scope(*Q1, None, frozenset({"PE-CUS"}))
    assert result(held, in_cusco) == Result(Decimal(1))
    by_hand = indicator(framework, Unit.COUNT)
    value(by_hand, world.care, *Q1, "12")
    assert result(by_hand, scope()) == Result(Decimal(12))


def test_series_gives_a_result_for_each_period(world: Any, framework: Framework) -> None:
    people = indicator(framework, Unit.COUNT)
    for month, amount in ((1, "1"), (2, "2"), (3, "3"), (4, "4")):
        first = D(2026, month, 1)
        last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        value(people, world.care, first, last, amount)
    value(people, world.hias, D(2026, 2, 1), D(2026, 2, 28), "20")

    assert series(people, D(2026, 1, 1), D(2026, 6, 30), Granularity.QUARTER, None) == [
        (*Q1, Result(Decimal(26))),
        (*Q2, Result(Decimal(4))),
    ]
    care = frozenset({world.care.pk})
    assert series(people, D(2026, 1, 1), D(2026, 6, 30), Granularity.QUARTER, care) == [
        (*Q1, Result(Decimal(6))),
        (*Q2, Result(Decimal(4))),
    ]
    # A period holds only the values of periods inside it: February clipped at the 15th
    # holds none.
    months = series(people, D(2026, 2, 15), D(2026, 3, 31), Granularity.MONTH, None)
    assert months == [
        (D(2026, 2, 15), D(2026, 2, 28), Result(None)),
        (D(2026, 3, 1), D(2026, 3, 31), Result(Decimal(3))),
    ]
    held = indicator(framework, Unit.COUNT, "sessions_held")
    sessions_on(world, "care", "PE-LIM", D(2026, 1, 10), D(2026, 3, 10))
    sessions_on(world, "care", "PE-CUS", D(2026, 3, 20))
    in_lima = series(
        held, D(2026, 1, 1), D(2026, 3, 31), Granularity.MONTH, care, frozenset({"PE-LIM"})
    )
    assert [found.value for _first, _last, found in in_lima] == [Decimal(1), 0, Decimal(1)]


# --- status and progress -------------------------------------------------------------------

START, END = D(2026, 1, 1), D(2026, 1, 10)  # ten days


@pytest.mark.parametrize(
    ("unit", "target", "found", "today", "expected"),
    [
        # Before the period: not started, whatever the value.
        (Unit.COUNT, "10", "50", D(2025, 12, 31), Status.NOT_STARTED),
        (Unit.COUNT, "10", None, D(2025, 12, 31), Status.NOT_STARTED),
        # Started (from its first day) with nothing to measure.
        (Unit.COUNT, "10", None, START, Status.NO_DATA),
        (Unit.PERCENT, "80", None, D(2026, 2, 1), Status.NO_DATA),
        # After the period: met or behind.
        (Unit.COUNT, "10", "10", D(2026, 1, 11), Status.MET),
        (Unit.COUNT, "10", "9.99", D(2026, 1, 11), Status.BEHIND),
        (Unit.PERCENT, "80", "80.0", D(2026, 2, 1), Status.MET),
        (Unit.PERCENT, "80", "79.9", D(2026, 2, 1), Status.BEHIND),
        # Days: lower is better.
        (Unit.DAYS, "3", "3.0", D(2026, 2, 1), Status.MET),
        (Unit.DAYS, "3", "2.1", D(2026, 2, 1), Status.MET),
        (Unit.DAYS, "3", "3.1", D(2026, 2, 1), Status.BEHIND),
        (Unit.DAYS, "3", "1.0", D(2026, 1, 5), Status.MET),
        (Unit.DAYS, "3", "3.1", D(2026, 1, 5), Status.BEHIND),  # no pace for a time
        # While the period runs: met once reached.
        (Unit.COUNT, "10", "12", D(2026, 1, 2), Status.MET),
        (Unit.PERCENT, "80", "85", D(2026, 1, 2), Status.MET),
        (Unit.PERCENT, "80", "10", D(2026, 1, 2), Status.BEHIND),  # no pace for a percent
        # A count keeps pace with the days gone by: 4 days of 10, 40 % of the target.
        (Unit.COUNT, "100", "40", D(2026, 1, 4), Status.ON_TRACK),
        (Unit.COUNT, "100", "39", D(2026, 1, 4), Status.BEHIND),
        (Unit.COUNT, "100", "10", START, Status.ON_TRACK),  # the first day counts as gone
        (Unit.COUNT, "100", "9", START, Status.BEHIND),
        (Unit.COUNT, "100", "99", END, Status.BEHIND),  # the last day: the whole target
    ],
)
def test_status(unit: str, target: str, found: str | None, today: dt.date, expected: str) -> None:
    number = None if found is None else Decimal(found)
    assert status(unit, Decimal(target), number, START, END, today) == expected


@pytest.mark.parametrize(
    ("target", "found", "expected"),
    [
        ("200", Decimal(50), Decimal("25.0")),
        ("3", Decimal(2), Decimal("66.7")),
        ("16", Decimal(1), Decimal("6.3")),  # 6.25 rounded half up
        ("10", Decimal(15), Decimal("150.0")),
        ("0", Decimal(5), None),  # no target to measure against
        ("10", None, None),
    ],
)
def test_achieved_pct(target: str, found: Decimal | None, expected: Decimal | None) -> None:
    line = Progress(START, END, Decimal(target), Result(found), Status.MET)
    assert line.achieved_pct == expected


@pytest.mark.parametrize(
    ("target", "found", "expected"),
    [
        ("4", Decimal(2), Decimal("200.0")),  # twice as fast as the target
        ("4", Decimal(8), Decimal("50.0")),
        ("4", Decimal(0), None),  # accepted at once: no share to give
    ],
)
def test_achieved_pct_of_a_time_reads_the_target_over_the_result(
    target: str, found: Decimal, expected: Decimal | None
) -> None:
    line = Progress(START, END, Decimal(target), Result(found), Status.MET, Unit.DAYS)
    assert line.achieved_pct == expected


def test_progress_sets_each_target_beside_its_result(world: Any, framework: Framework) -> None:
    project = Project.objects.create(
        organization=world.care,
        name="Proyecto de prueba",
        donor="Donante",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        territory=["PE-LIM"],
    )
    held = ProjectIndicator.objects.create(
        project=project, indicator=indicator(framework, Unit.COUNT, "sessions_held")
    )
    for (start, end), target in ((Q1, "4"), (Q2, "2"), (Q3, "5")):
        Target.objects.create(
            project_indicator=held, period_start=start, period_end=end, value=Decimal(target)
        )
    # CARE in Lima: four sessions in the first quarter, one in the second. Left out: HIAS's
    # and one outside the project's territory.
    lima = (D(2026, 1, 10), D(2026, 2, 10), D(2026, 3, 10), D(2026, 3, 31), D(2026, 4, 15))
    sessions_on(world, "care", "PE-LIM", *lima)
    sessions_on(world, "hias", "PE-LIM", D(2026, 2, 1))
    sessions_on(world, "care", "PE-CUS", D(2026, 2, 1))

    today = D(2026, 5, 15)
    found = [(p.start, p.end, p.target, p.result.value, p.status) for p in progress(held, today)]
    assert found == [
        (*Q1, Decimal(4), Decimal(4), Status.MET),
        # 45 of 91 days gone: 2 * 45 / 91 = 0.99 sessions keep pace, 1 was held.
        (*Q2, Decimal(2), Decimal(1), Status.ON_TRACK),
        (*Q3, Decimal(5), Decimal(0), Status.NOT_STARTED),
    ]
    assert [p.achieved_pct for p in progress(held, today)] == [
        Decimal("100.0"),
        Decimal("50.0"),
        Decimal("0.0"),
    ]
    # A day later, 46 of 91 days: 1.01 sessions to keep pace.
    assert progress(held, D(2026, 5, 16))[1].status == Status.BEHIND

    satisfied = ProjectIndicator.objects.create(
        project=project, indicator=indicator(framework, Unit.PERCENT), position=1
    )
    for (start, end), target in ((Q1, "80"), (Q2, "80")):
        Target.objects.create(
            project_indicator=satisfied, period_start=start, period_end=end, value=Decimal(target)
        )
    value(satisfied.indicator, world.care, D(2026, 1, 1), D(2026, 1, 31), "100", 2, 2)
    value(satisfied.indicator, world.care, D(2026, 2, 1), D(2026, 3, 31), "50", 1, 2)
    value(satisfied.indicator, world.hias, *Q1, "90", 9, 10)  # another organization's
    value(satisfied.indicator, None, *Q1, "95", 19, 20)  # the network's
    assert [(p.result, p.status) for p in progress(satisfied, today)] == [
        (Result(Decimal("75.0"), 3, 4), Status.BEHIND),
        (Result(None), Status.NO_DATA),
    ]


def test_a_project_without_a_territory_counts_everywhere(world: Any, framework: Framework) -> None:
    project = Project.objects.create(
        organization=world.care,
        name="Proyecto nacional",
        donor="Donante",
        starts_on=Q1[0],
        ends_on=Q1[1],
    )
    held = ProjectIndicator.objects.create(
        project=project, indicator=indicator(framework, Unit.COUNT, "sessions_held")
    )
    Target.objects.create(project_indicator=held, period_start=Q1[0], period_end=Q1[1], value=3)
    sessions_on(world, "care", "PE-LIM", D(2026, 1, 10))
    sessions_on(world, "care", "PE-CUS", D(2026, 2, 10))
    sessions_on(world, "hias", "PE-CUS", D(2026, 2, 10))

    (line,) = progress(held, D(2026, 2, 15))
    # 46 of 90 days gone: 3 * 46 / 90 = 1.53 sessions keep pace; CARE held 2.
    assert (line.result.value, line.status) == (Decimal(2), Status.ON_TRACK)


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        (None, ""),
        (Decimal("40.0"), "40.0"),
        (Decimal(22), "22"),
        (Decimal("1E+1"), "10"),
        (Decimal("0.00001"), "0.00001"),
    ],
)
def test_as_text(given_value: Decimal | None, expected: str) -> None:
    assert as_text(given_value) == expected
