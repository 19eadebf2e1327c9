"""An indicator's result for a period, and a project's progress against its targets.

A computed indicator asks its computation; an indicator entered by hand reads the
values entered for periods inside the one asked about: counts add up, percentages pool
their numerators and denominators (a single value is taken as it is; several without
numerators cannot be combined honestly, and the result says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from ruta.indicators.computations import COMPUTATIONS, ONE_DECIMAL, Result, Scope, percent
from ruta.indicators.models import Indicator, IndicatorValue, Project, ProjectIndicator, Unit


class Granularity:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    ALL = (MONTH, QUARTER, YEAR)


def next_month(day: dt.date, months: int = 1) -> dt.date:
    """The first day of the month ``months`` after ``day``'s (before it, when negative)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(start: dt.date, end: dt.date, granularity: str) -> Iterator[tuple[dt.date, dt.date]]:
    """The calendar months, quarters or years that meet ``start``..``end``, each as its
    first and last day (clipped to ``start`` and ``end``); none when ``end`` comes before
    ``start``."""
    if end < start:
        return
    step = {Granularity.MONTH: 1, Granularity.QUARTER: 3, Granularity.YEAR: 12}[granularity]
    first = start.replace(day=1)
    if granularity == Granularity.QUARTER:
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    elif granularity == Granularity.YEAR:
        first = first.replace(month=1)
    while first <= end:
        following = next_month(first, step)
        yield max(first, start), min(following - dt.timedelta(days=1), end)
        first = following


def manual_result(indicator: Indicator, scope: Scope) -> Result:
    """Values entered for periods inside the scope's. For the whole network, the values
    entered for the network when there are any, else the sum of the organizations'."""
    found = IndicatorValue.objects.filter(
        indicator=indicator, period_start__gte=scope.start, period_end__lte=scope.end
    )
    if scope.organization_ids is not None:
        found = found.filter(organization_id__in=scope.organization_ids)
    elif found.filter(organization__isnull=True).exists():
        found = found.filter(organization__isnull=True)
    values = list(found.values_list("value", "numerator", "denominator"))
    if not values:
        return Result(None)
    if indicator.unit == Unit.COUNT:
        return Result(sum((v for v, _n, _d in values), Decimal(0)))
    if len(values) == 1:
        value, numerator, denominator = values[0]
        return Result(value, numerator, denominator)
    pooled = [(n, d) for _v, n, d in values if n is not None and d is not None]
    if indicator.unit == Unit.PERCENT and len(pooled) == len(values):
        return percent(sum(n for n, _d in pooled), sum(d for _n, d in pooled))
    return Result(None)


def result(indicator: Indicator, scope: Scope) -> Result:
    computation = COMPUTATIONS.get(indicator.computation)
    if computation is not None:
        return computation(scope)
    return manual_result(indicator, scope)


def results(indicator: Indicator, scopes: list[Scope]) -> list[Result]:
    """``result`` for each scope; a computation that can, answers them in one query."""
    computation = COMPUTATIONS.get(indicator.computation)
    if computation is not None:
        return computation.over(scopes)
    return [manual_result(indicator, scope) for scope in scopes]


LOWER_IS_BETTER = frozenset({Unit.DAYS})


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_STARTED = "not_started"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Progress:
    start: dt.date
    end: dt.date
    target: Decimal
    result: Result
    status: str
    unit: str = Unit.COUNT

    @property
    def achieved_pct(self) -> Decimal | None:
        """The result as a share of the target; for a time (lower is better) the target as
        a share of the result, so a median of 2 days against a target of 4 reads 200 %."""
        value = self.result.value
        if value is None or not self.target:
            return None
        if self.unit in LOWER_IS_BETTER:
            if not value:
                return None
            share = Decimal(100) * self.target / value
        else:
            share = Decimal(100) * value / self.target
        return share.quantize(ONE_DECIMAL, ROUND_HALF_UP)


def status(
    unit: str, target: Decimal, value: Decimal | None, start: dt.date, end: dt.date, today: dt.date
) -> str:
    """Met once the result reaches the target (or, for a time, stays at or under it); while
    the period runs, on track when the result keeps pace with the share of days gone by."""
    if today < start:
        return Status.NOT_STARTED
    if value is None:
        return Status.NO_DATA
    lower = unit in LOWER_IS_BETTER
    reached = value <= target if lower else value >= target
    if today > end:
        return Status.MET if reached else Status.BEHIND
    if reached:
        return Status.MET
    if lower or unit == Unit.PERCENT:
        return Status.BEHIND
    elapsed = Decimal((today - start).days + 1) / Decimal((end - start).days + 1)
    return Status.ON_TRACK if value >= target * elapsed else Status.BEHIND


def scope_of(project: Project, start: dt.date, end: dt.date) -> Scope:
    territory = frozenset(project.territory) if project.territory else None
    return Scope(start, end, frozenset({project.organization_id}), territory)


def progress(line: ProjectIndicator, today: dt.date | None = None) -> list[Progress]:
    """Each target of a project's indicator beside the result for the same period."""
    today = today or timezone.localdate()
    targets = list(line.targets.all())
    scopes = [scope_of(line.project, t.period_start, t.period_end) for t in targets]
    found: list[Progress] = []
    for target, outcome in zip(targets, results(line.indicator, scopes), strict=True):
        start, end = target.period_start, target.period_end
        found.append(
            Progress(
                start,
                end,
                target.value,
                outcome,
                status(line.indicator.unit, target.value, outcome.value, start, end, today),
                line.indicator.unit,
            )
        )
    return found


def series(
    indicator: Indicator,
    start: dt.date,
    end: dt.date,
    granularity: str,
    organization_ids: frozenset[int] | None,
    admin1: frozenset[str] | None = None,
) -> list[tuple[dt.date, dt.date, Result]]:
    """The indicator's result for each month, quarter or year of ``start``..``end``."""
    spans = list(periods(start, end, granularity))
    scopes = [Scope(first, last, organization_ids, admin1) for first, last in spans]
    return [
        (first, last, outcome)
        for (first, last), outcome in zip(spans, results(indicator, scopes), strict=True)
    ]


def as_text(value: Any) -> str:
    """A value as the API gives it: a plain decimal string, or "" for none."""
    return "" if value is None else format(value, "f")
