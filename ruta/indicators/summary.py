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

from ruta.indicators.access import visible_projects
from ruta.indicators.models import Project, ProjectIndicator, Target
from ruta.indicators.results import Status, result, scope_of, status

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
