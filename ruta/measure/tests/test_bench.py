"""The benchmark's scratch world and measures on a tiny world: its facts equal the live
computation, and every measured page answers 200 (the timings are not asserted)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from ruta.measure import facts, reach
from ruta.measure.management.commands.bench_measure import (
    _gbv_floor,
    _last_quarter,
    generate,
    generate_gbv,
    run_measures,
)
from ruta.statistics import tables

pytestmark = [pytest.mark.dates, pytest.mark.django_db]


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_scratch_world_feeds_facts_equal_to_live_and_the_pages_answer() -> None:
    world = generate(3000, random.Random(7))
    assert world["years"] == [2024, 2025, 2026]
    assert world["last_month"] == dt.date(2026, 5, 1)
    facts.refresh([dt.date(y, 1, 1) for y in world["years"]])
    for month in (dt.date(2024, 1, 1), dt.date(2025, 7, 1), dt.date(2026, 5, 1)):
        live = reach.compute(month)
        assert live, month
        assert facts.figures(month) == live
    gbv = generate_gbv(world, random.Random(7))
    assert gbv["incidents"] > gbv["reporting"] > 0 and gbv["protocols"] == 24
    measures = run_measures(world, repeat=1)
    assert [m.label[:3] for m in measures] == ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)"]
    assert measures[-1].label == "(f) GBVIMS tables of 2026-Q1"  # the last whole quarter
    assert all(m.status in (200, None) and m.timings and m.floor for m in measures)
    # The floor counts the incidents the page's tables count, table by table.
    period = _last_quarter(world["last_month"])
    assert period.code == "2026-Q1"
    floor = Counter[str]()
    for table, _row, _column, n in _gbv_floor(period)():
        floor[table] += n
    quarter = tables.parse_period(period.code)
    assert quarter is not None and (quarter.start, quarter.end) == (period.start, period.end)
    counted = {t.code: sum(map(sum, t.counts)) for t in tables.compute("analysts", quarter)}
    assert counted["type_by_sex"] > 0
    assert floor == {
        "type": counted["type_by_sex"],
        "age": counted["age_by_sex"],
        "perpetrator": counted["perpetrator"],
        "setting": counted["setting"],
        "delay": counted["delay"],
    }


def test_the_benchmark_refuses_a_tiny_world() -> None:
    with pytest.raises(CommandError, match="at least 200"):
        call_command("bench_measure", "--rows", "10")
