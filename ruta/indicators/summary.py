"""Where the running projects stand today, for the home page of a reader of figures: for
each project, its indicators' targets for the period that holds today, counted by status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ruta.helpline.figures import threshold
from ruta.indicators.access import visible_projects
from ruta.indicators.computations import Scope
from ruta.indicators.models import Indicator, Project, ProjectIndicator, Target
from ruta.indicators.results import Status, next_month, result, scope_of, status

if TYPE_CHECKING:
    from ruta.accounts.models import User

SHOWN = 5
ORDER = (Status.BEHIND, Status.ON_TRACK, Status.MET, Status.NO_DATA, Status.NOT_STARTED)


def status_labels() -> dict[str, str]:
    return {
        Status.MET: _("Met"),
        Status.ON_TRACK: _("On track"),
        Status.BEHIND: _("Behind"),
        Status.NOT_STARTED: _("Not started"),
        Status.NO_DATA: _("No data"),
    }


@dataclass(frozen=True)
class ProjectToday:
    project: Project
    counts: list[tuple[str, str, int]]  # (status, its label, how many targets)


def running_projects(user: User, today: dt.date) -> tuple[list[ProjectToday], int]:
    """The first running projects ``user`` may read with their targets of today, and how
    many projects run in all."""
    running = visible_projects(user).filter(starts_on__lte=today, ends_on__gte=today)
    total = running.count()
    targets = Target.objects.filter(period_start__lte=today, period_end__gte=today)
    lines = ProjectIndicator.objects.select_related("indicator").prefetch_related(
        Prefetch("targets", queryset=targets)
    )
    labels = status_labels()
    found = []
    for project in running.order_by("ends_on", "name").prefetch_related(
        Prefetch("indicators", queryset=lines)
    )[:SHOWN]:
        counted: Counter[str] = Counter()
        for line in project.indicators.all():
            for target in line.targets.all():
                start, end = target.period_start, target.period_end
                outcome = result(line.indicator, scope_of(project, start, end))
                unit = line.indicator.unit
                counted[status(unit, target.value, outcome.value, start, end, today)] += 1
        counts = [(code, labels[code], counted[code]) for code in ORDER if counted[code]]
        found.append(ProjectToday(project, counts))
    return found, total


# The outcome-measure indicators the home page shows: the computations, in this order.
OUTCOMES = ("who5_improved_pct", "phq9_band_down_pct", "gad7_band_down_pct")


@dataclass(frozen=True)
class OutcomeToday:
    indicator: Indicator
    value: str  # a percentage, or "" when too few people were measured to show it
    numerator: int
    denominator: int
    too_few: bool


def outcome_summary(
    organization_ids: frozenset[int] | None, end_month: dt.date
) -> tuple[dt.date, dt.date, list[OutcomeToday]]:
    """The outcome-measure indicators over the twelve months ending with ``end_month``, in
    the reader's scope. Below the small-cell threshold of people measured, no percentage
    is shown (it would tell a handful of people's scores)."""
    start = next_month(end_month, -11)
    end = next_month(end_month) - dt.timedelta(days=1)
    scope = Scope(start, end, organization_ids)
    indicators = {
        item.computation: item
        for item in Indicator.objects.filter(
            framework__code="ruta-network", computation__in=OUTCOMES
        ).select_related("framework")
    }
    limit = threshold()
    found = []
    for code in OUTCOMES:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        outcome = result(indicator, scope)
        denominator = outcome.denominator or 0
        too_few = denominator < limit
        value = "" if too_few or outcome.value is None else f"{outcome.value}"
        found.append(OutcomeToday(indicator, value, outcome.numerator or 0, denominator, too_few))
    return start, end, found
