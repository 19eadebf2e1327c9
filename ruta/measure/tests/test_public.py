"""The network's public dashboard: off by default (404 for everybody), switched by a
coordinator (audited); network-wide figures of the last twelve full months with small
counts hidden, primary and complementary, in the page, its charts and its CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.measure.models import FactsState, PublicFigures
from ruta.measure.public import figures, suppress
from ruta.measure.tests.test_dashboard import _fact, _svgs

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)  # period: June 2025 to May 2026


def test_suppress_hides_small_counts_and_one_more_when_one_alone() -> None:
    assert suppress([10, 3, 7, 0], 5) == [10, None, None, 0]
    assert suppress([1, 2, 50], 5) == [None, None, 50]
    assert suppress([10, 20, 0], 5) == [10, 20, 0]
    assert suppress([4], 5) == [None]
    assert suppress([], 5) == []


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=12), st.integers(2, 10))
def test_no_small_count_shows_and_none_hides_alone(values: list[int], limit: int) -> None:
    shown = suppress(values, limit)
    assert all(v is None for v, raw in zip(shown, values, strict=True) if 0 < raw < limit)
    assert all(v == raw for v, raw in zip(shown, values, strict=True) if v is not None)
    hidden = sum(v is None for v in shown)
    nonzero = sum(raw > 0 for raw in values)
    # A lone hidden count could be worked out from the total: never, unless it is the only
    # count there is.
    assert hidden != 1 or nonzero == 1
    assert all(raw > 0 for v, raw in zip(shown, values, strict=True) if v is None)


@pytest.fixture
def reached(world: Any) -> None:
    _fact(world.care, dt.date(2026, 4, 1), total=120, new=100)
    _fact(world.care, dt.date(2026, 5, 1), total=60, new=3, sector="education")
    _fact(
        world.hias, dt.date(2026, 5, 1), total=50, new=40, admin1="PE-TUM", population_type="host"
    )
    _fact(world.hias, dt.date(2025, 5, 1), total=900, new=900)  # before the period
    FactsState.objects.create(pk=1, refreshed_at=dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC))


def _url(name: str, *args: Any, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_off_by_default_for_everybody(world: Any, reached: None, client: Any) -> None:
    assert client.get(_url("measure:public")).status_code == 404
    assert client.get(_url("measure:public_csv", "months")).status_code == 404
    verified_login(client, world.user("analyst"))
    assert client.get(_url("measure:public")).status_code == 404
    assert "measure/publico" not in Client().get("/en/").content.decode()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_coordinator_switches_it_on_and_anyone_reads_suppressed_figures(
    world: Any, reached: None, client: Any
) -> None:
    # Only the coordinators decide (an analyst is refused).
    analyst = verified_login(Client(), world.user("analyst"))
    assert analyst.post(_url("measure:public_switch"), {"enabled": "on"}).status_code == 403
    verified_login(client, world.user("coordinator"))
    dashboard = client.get(_url("measure:dashboard")).content.decode()
    assert "Switch the public dashboard on" in dashboard
    response = client.post(_url("measure:public_switch"), {"enabled": "on"})
    assert response.status_code == 302 and PublicFigures.objects.get(pk=1).enabled
    event = AuditEvent.objects.get(action="measure.public_dashboard.enabled")
    assert event.actor == world.user("coordinator")

    visitor = Client()
    assert "/alcance/publico/" in visitor.get("/en/").content.decode()
    page = visitor.get(_url("measure:public")).content.decode()
    # 100 + 3 + 40 new in the period (May 2025 is outside it); two organizations.
    assert "<dd>143</dd>" in page and "<dd>2</dd>" in page
    # May: 43 shown; by sector: health 140, education 3 hidden; by region: PE-LIM 103,
    # PE-TUM 40; the lone small count hides the next smallest too where it stands alone.
    found = figures(NOW.date())
    assert [(c.key.month, c.value) for c in found.months if c.value] == [(4, 100), (5, 43)]
    # Every month of the twelve is there, the quiet ones as zeros (never hidden: zero is
    # not a small count), from June 2025 to May 2026.
    assert [(c.key.year, c.key.month) for c in found.months] == [
        (2025 + (month > 12), (month - 1) % 12 + 1) for month in range(6, 18)
    ]
    assert [c.value for c in found.months].count(0) == 10
    assert {c.key: c.value for c in found.by["sector"]} == {"health_mhpss": None, "education": None}
    assert {c.key: c.value for c in found.by["admin1"]} == {"PE-LIM": 103, "PE-TUM": 40}
    assert "Counts from 1 to 4 are shown as" in page
    assert ">&lt;5</td>" in page and ">hidden</td>" in page and ">3<" not in page
    _svgs(page)  # every chart parses, numbers locale-free
    rows = list(
        csv.reader(
            io.StringIO(
                visitor.get(_url("measure:public_csv", "sector")).content.decode("utf-8-sig")
            )
        )
    )
    # The small one reads "<5"; the one hidden beside it is not small and says so.
    assert sorted(row[1] for row in rows[1:]) == ["<5", "hidden"]
    # Spanish too.
    assert (
        "Las cifras de la red"
        in visitor.get(_url("measure:public", language="es")).content.decode()
    )

    client.post(_url("measure:public_switch"), {"enabled": "off"})
    assert visitor.get(_url("measure:public")).status_code == 404
    assert AuditEvent.objects.filter(action="measure.public_dashboard.disabled").exists()
