"""The monthly reach facts equal the live computation: on a known dataset, after
incremental refreshes, and (property) for random datasets refreshed in random pieces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruta.activities import actions
from ruta.activities.tests.factories import make_activity, make_session
from ruta.measure import facts, reach, registry
from ruta.measure.models import DirtyMonth, FactsState, ReachFact, ReachKey
from ruta.places.models import AdminArea

pytestmark = [pytest.mark.dates, pytest.mark.django_db]

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
PERSON = {"sex_age": "woman", "population_type": "in_destination"}
YEARS = (2025, 2026)
ALL_MONTHS = [dt.date(y, m, 1) for y in YEARS for m in range(1, 13)]


class Fake:
    """A reach source over a list of rows, honouring the period and the organizations."""

    def __init__(self) -> None:
        self.rows: list[registry.ReachRow] = []

    def __call__(
        self, start: dt.date, end: dt.date, organization_ids: frozenset[int] | None
    ) -> list[registry.ReachRow]:
        return [
            r
            for r in self.rows
            if start <= r.day <= end
            and (organization_ids is None or r.organization_id in organization_ids)
        ]


@pytest.fixture
def fake() -> Iterator[Fake]:
    saved = registry.sources()
    registry._SOURCES.clear()
    source = Fake()
    registry.register("fake", source)
    try:
        yield source
    finally:
        registry._SOURCES.clear()
        registry._SOURCES.update(saved)


def _assert_facts_equal_live(orgs: frozenset[int] | None = None) -> None:
    for month in ALL_MONTHS:
        assert facts.figures(month, month, orgs) == reach.compute(month, month, orgs), month
        live = reach.summarise(reach.compute(month, month, orgs))
        assert facts.summary(month, month, orgs) == live
    # Several months at once, as the dashboard reads them.
    first, last = dt.date(2026, 2, 1), dt.date(2026, 5, 1)
    assert facts.figures(first, last, orgs) == reach.compute(first, last, orgs)


def _row(day: dt.date, key: str | None, **extra: Any) -> registry.ReachRow:
    fields: dict[str, Any] = {
        "source": "fake",
        "day": day,
        "organization_id": 1,
        "admin1": "PE-LIM",
        "admin2": "",
        "sector": "health_mhpss",
        "population_type": "host",
        "sex_age": "woman",
        "person_key": key,
    }
    fields.update(extra)
    return registry.ReachRow(**fields)


@time_machine.travel(NOW, tick=False)
def test_a_late_record_in_an_earlier_month_makes_a_later_month_not_new(fake: Fake) -> None:
    fake.rows = [
        _row(dt.date(2026, 4, 3), "ana"),
        _row(dt.date(2026, 3, 3), None, count=4),
        _row(dt.date(2026, 1, 9), "bea", sex_age="girl"),
        _row(dt.date(2026, 5, 9), "bea", sex_age="girl"),
    ]
    facts.refresh([dt.date(2026, 1, 1)])
    found = facts.figures(dt.date(2026, 3, 1), NOW.date())
    assert [(f.cell.month, f.total, f.new) for f in found] == [
        (dt.date(2026, 3, 1), 4, 4),
        (dt.date(2026, 4, 1), 1, 1),
        (dt.date(2026, 5, 1), 1, 0),
    ]
    # Ana's February session is entered late: only February onwards is recomputed, and
    # April no longer counts her as new (she was first reached in February).
    fake.rows.append(_row(dt.date(2026, 2, 20), "ana"))
    facts.mark_dirty([dt.date(2026, 2, 20)])
    done = facts.refresh()
    assert done.starts == [dt.date(2026, 2, 1)]
    april = facts.figures(dt.date(2026, 4, 1))
    assert [(f.total, f.new, f.not_deduplicated) for f in april] == [(1, 0, 0)]
    # Bea, first reached in January (not recomputed), is still not new in May.
    may = facts.figures(dt.date(2026, 5, 1))
    assert [(f.total, f.new, f.total_by_group["girl"]) for f in may] == [(1, 0, 1)]
    assert not DirtyMonth.objects.exists()
    _assert_facts_equal_live()
    # A key is kept only as a digest of the place and the pseudonymous key.
    assert all(len(k.digest) == 32 and "ana" not in k.digest for k in ReachKey.objects.all())


DAYS = st.dates(min_value=dt.date(2025, 10, 1), max_value=dt.date(2026, 6, 30))
ROWS = st.builds(
    _row,
    DAYS,
    st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
    organization_id=st.sampled_from([1, 2]),
    admin1=st.sampled_from(["PE-LIM", "PE-LIM", "PE-TUM"]),
    admin2=st.sampled_from(["", "", "150101"]),
    sector=st.sampled_from(["health_mhpss", "health_mhpss", "protection_gbv"]),
    population_type=st.sampled_from(["host", "host", ""]),
    sex_age=st.sampled_from(["girl", "boy", "woman", "man", "other", ""]),
    count=st.integers(min_value=0, max_value=9),
    lgbtiq=st.integers(min_value=0, max_value=2),
    disability=st.integers(min_value=0, max_value=2),
)


@time_machine.travel(NOW, tick=False)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(ROWS, min_size=5, max_size=40),
    later=st.lists(ROWS, max_size=15),
    dropped=st.integers(min_value=0, max_value=10),
)
def test_facts_equal_the_live_computation_for_random_datasets(
    fake: Fake, first: list[registry.ReachRow], later: list[registry.ReachRow], dropped: int
) -> None:
    ReachFact.objects.all().delete()
    ReachKey.objects.all().delete()
    DirtyMonth.objects.all().delete()
    fake.rows = list(first)
    facts.refresh([dt.date(2025, 1, 1), dt.date(2026, 1, 1)])
    _assert_facts_equal_live()
    # Rows added and removed anywhere, their months marked: an incremental refresh.
    removed = fake.rows[:dropped]
    fake.rows = fake.rows[dropped:] + list(later)
    facts.mark_dirty(r.day for r in removed + list(later))
    facts.refresh(current=False)
    _assert_facts_equal_live()
    _assert_facts_equal_live(frozenset({2}))


@time_machine.travel(NOW, tick=False)
def test_records_mark_their_months_and_the_command_refreshes_them(world: Any) -> None:
    user = world.user("caseworker.care")
    activity = make_activity(user, admin1=AdminArea.objects.get(code="PE-LIM"))
    march = make_session(user, activity, dt.date(2026, 3, 5))
    assert facts.freshness(dt.date(2026, 3, 1)).pending == [dt.date(2026, 3, 1)]
    assert not facts.freshness().computed
    call_command("refresh_reach_facts", stdout=None)
    assert not DirtyMonth.objects.exists()
    state = FactsState.objects.get()
    assert state.refreshed_at == NOW
    actions.record_attendance(user, march, "ANA-1", PERSON)
    actions.save_counts(user, march, "in_destination", {"girls": 2})
    assert facts.freshness(dt.date(2026, 5, 1)).pending == [dt.date(2026, 3, 1)]
    assert facts.freshness(dt.date(2025, 5, 1)).pending == []
    # Moving the session moves its people: both months are marked.
    march.date = dt.date(2026, 5, 2)
    march.save()
    assert set(DirtyMonth.objects.values_list("month", flat=True)) == {
        dt.date(2026, 3, 1),
        dt.date(2026, 5, 1),
    }
    call_command("refresh_reach_facts", "--month", "2026-01")
    may = facts.figures(dt.date(2026, 5, 1))
    assert [(f.total, f.new, f.not_deduplicated) for f in may] == [(3, 3, 2)]
    assert facts.figures(dt.date(2026, 3, 1)) == []
    assert facts.figures(dt.date(2026, 5, 1)) == reach.compute(dt.date(2026, 5, 1))
    # The first build on a database with records: from a month to this year's December.
    ReachFact.objects.all().delete()
    call_command("refresh_reach_facts", "--since", "2025-11")
    assert facts.figures(dt.date(2026, 5, 1)) == may


@time_machine.travel(NOW, tick=False)
def test_a_case_open_for_months_counts_each_month_without_any_change(world: Any) -> None:
    from ruta.cases.tests.factories import make_case

    case = make_case(world.user("caseworker.care"))
    case.opened_on = dt.date(2026, 2, 10)
    case.save()
    facts.refresh()
    with time_machine.travel(dt.datetime(2026, 7, 2, 12, tzinfo=dt.UTC), tick=False):
        facts.refresh()  # July: nothing changed, yet the open case reaches its client
        july = facts.figures(dt.date(2026, 7, 1))
        assert [(f.total, f.new) for f in july] == [(1, 0)]
        assert july == reach.compute(dt.date(2026, 7, 1))


def test_the_command_rejects_a_month_it_cannot_read() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("refresh_reach_facts", "--month", "March")


@time_machine.travel(NOW, tick=False)
def test_contacts_clients_and_activities_mark_the_months_they_change(world: Any) -> None:
    from ruta.cases.tests.factories import make_case
    from ruta.helpline.tests.factories import make_contact

    make_contact(
        world.user("helpline.care"), started_at=dt.datetime(2026, 2, 10, 15, tzinfo=dt.UTC)
    )
    assert facts.freshness().pending == [dt.date(2026, 2, 1)]
    DirtyMonth.objects.all().delete()
    case = make_case(world.user("caseworker.care"))
    case.opened_on = dt.date(2026, 4, 20)
    case.save()
    DirtyMonth.objects.all().delete()
    # A client's coded profile changes the figures of every month their case was open.
    case.client.population_type = "host"
    case.client.save()
    assert facts.freshness().pending == [
        dt.date(2026, 4, 1),
        dt.date(2026, 5, 1),
        NOW.date().replace(day=1),
    ]
    DirtyMonth.objects.all().delete()
    user = world.user("caseworker.care")
    activity = make_activity(user)
    make_session(user, activity, dt.date(2026, 1, 7))
    DirtyMonth.objects.all().delete()
    activity.sector = "education"
    activity.save()
    assert facts.freshness().pending == [dt.date(2026, 1, 1)]
