"""The demo activities load once, feed the reach figures and are removed again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from conftest import make_user
from ruta.activities.demo import load_activities_demo, remove_activities_demo
from ruta.activities.models import Activity, Participant, SessionCount
from ruta.lib.permissions import Role
from ruta.measure import reach

pytestmark = pytest.mark.dates


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_demo_loads_once_and_is_removed(world: Any) -> None:
    make_user("gestion.care@ruta.example.org", Role.CASEWORKER, world.care, is_demo=True)
    make_user("gestion.hias@ruta.example.org", Role.CASEWORKER, world.hias, is_demo=True)
    first = load_activities_demo()
    second = load_activities_demo()
    assert (first.activities, first.sessions) == (2, 24)
    assert (second.activities, second.sessions) == (0, 0)
    assert Participant.objects.exists() and SessionCount.objects.exists()
    may = reach.summarise(reach.compute(dt.date(2026, 5, 1)))
    assert may.total > may.new > 0  # registered women come back: not all new in May
    assert remove_activities_demo() > 0
    assert not Activity.objects.exists() and not Participant.objects.exists()
