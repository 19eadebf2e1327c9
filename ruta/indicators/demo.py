"""Demo project and values: CARE's year-long project with three indicators (sessions held
and people reached, computed from the demo activities, and the IASC goal indicator G.1,
entered by hand) with quarterly targets, and the value CARE entered for G.1 last quarter
with a link as its evidence. So the progress page shows met, behind and not-started
targets from the first ``make run``.

Built through ``actions`` (audited as CARE's demo agency admin). ``load_demo()`` is
idempotent: the project has a fixed id, and a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.indicators import actions
from ruta.indicators.models import Indicator, IndicatorValue, Project
from ruta.indicators.results import Granularity, periods
from ruta.lib.demo import Removed

PROJECT_UUID = uuid.uuid5(uuid.NAMESPACE_URL, "https://ruta.example.org/demo/indicators/care")
VALUE_UUID = uuid.uuid5(uuid.NAMESPACE_URL, "https://ruta.example.org/demo/indicators/care-g1")
RECORDER = "admin.care@ruta.example.org"

# (framework, code, baseline, target per quarter)
LINES = [
    ("ruta-network", "R4", Decimal(0), Decimal(12)),
    ("ruta-network", "R1", Decimal(0), Decimal(40)),
    ("iasc-mhpss-me", "G.1", Decimal(20), Decimal(30)),
]


@dataclass
class IndicatorsDemoSummary:
    projects: int = 0
    values: int = 0

    def describe(self) -> str:
        return f"Demo indicators: {self.projects} project, {self.values} value entered by hand."


def _quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def load_indicators_demo() -> IndicatorsDemoSummary:
    summary = IndicatorsDemoSummary()
    recorder = User.objects.filter(email=RECORDER).select_related("organization").first()
    if recorder is None or recorder.organization is None:
        return summary
    if Project.objects.filter(uuid=PROJECT_UUID).exists():
        return summary
    this_quarter = _quarter_start(timezone.localdate())
    last_quarter = _quarter_start(this_quarter - dt.timedelta(days=1))
    starts_on = _quarter_start(last_quarter - dt.timedelta(days=1))  # two quarters back
    ends_on = dt.date(starts_on.year + 1, starts_on.month, 1) - dt.timedelta(days=1)
    with transaction.atomic():
        project = actions.save_project(
            recorder,
            Project(
                uuid=PROJECT_UUID,
                organization=recorder.organization,
                name="Bienestar psicosocial para mujeres en Lima (demostración)",
                donor="Donante de demostración",
                starts_on=starts_on,
                ends_on=ends_on,
                territory=["PE-LIM"],
                budget=Decimal(85000),
                currency="USD",
                description="Proyecto ficticio para mostrar metas y avance.",
            ),
            created=True,
        )
        summary.projects += 1
        quarters = list(periods(starts_on, ends_on, Granularity.QUARTER))
        for framework, code, baseline, per_quarter in LINES:
            indicator = Indicator.objects.filter(framework__code=framework, code=code).first()
            if indicator is None:
                continue
            line = actions.add_indicator(recorder, project, indicator, baseline)
            actions.set_targets(
                recorder, line, baseline, [(start, end, per_quarter) for start, end in quarters]
            )
        g1 = Indicator.objects.filter(framework__code="iasc-mhpss-me", code="G.1").first()
        if g1 is not None and not IndicatorValue.objects.filter(uuid=VALUE_UUID).exists():
            actions.enter_value(
                recorder,
                IndicatorValue(
                    uuid=VALUE_UUID,
                    indicator=g1,
                    organization=recorder.organization,
                    period_start=last_quarter,
                    period_end=this_quarter - dt.timedelta(days=1),
                    value=Decimal(34),
                    evidence_link="https://ruta.example.org/demo/informe-funcionamiento",
                    note="Valor ficticio de demostración.",
                ),
            )
            summary.values += 1
    return summary


def remove_indicators_demo() -> int:
    deleted = IndicatorValue.objects.filter(uuid=VALUE_UUID).delete()[0]
    return deleted + Project.objects.filter(uuid=PROJECT_UUID).delete()[0]


def load_demo() -> IndicatorsDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_indicators_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("indicators", remove_indicators_demo())
