"""The benchmark's scratch world and measures on a tiny world: its facts equal the live
computation, and every measured page answers 200 (the timings are not asserted)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from ruta.measure import facts, reach
from ruta.measure.management.commands.bench_measure import generate, run_measures

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
    measures = run_measures(world, repeat=1)
    assert [m.label[:3] for m in measures] == ["(a)", "(b)", "(c)", "(d)", "(e)"]
    assert all(m.status in (200, None) and m.timings and m.floor for m in measures)


def test_the_benchmark_refuses_a_tiny_world() -> None:
    with pytest.raises(CommandError, match="at least 200"):
        call_command("bench_measure", "--rows", "10")
