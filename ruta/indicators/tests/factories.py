"""Projects, their indicators and targets, and values entered by hand, for tests: built
straight on the models, without the audit trail the actions write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ruta.indicators.models import (
    Indicator,
    IndicatorValue,
    Project,
    ProjectIndicator,
    Target,
)


def indicator(framework: str, code: str) -> Indicator:
    """One of the shipped indicators (loaded by the migration)."""
    return Indicator.objects.select_related("framework").get(framework__code=framework, code=code)


def make_project(
    organization: Any,
    name: str = "Proyecto de prueba",
    *,
    starts_on: dt.date = dt.date(2026, 1, 1),
    ends_on: dt.date = dt.date(2026, 12, 31),
    **extra: Any,
) -> Project:
    values: dict[str, Any] = {"donor": "ECHO", "currency": "USD", **extra}
    return Project.objects.create(
        organization=organization, name=name, starts_on=starts_on, ends_on=ends_on, **values
    )


def add_line(
    project: Project,
    chosen: Indicator,
    targets: Sequence[tuple[dt.date, dt.date, str]] = (),
    baseline: str | None = None,
) -> ProjectIndicator:
    """The project selects ``chosen`` with a target per (start, end, value)."""
    line = ProjectIndicator.objects.create(
        project=project,
        indicator=chosen,
        baseline=None if baseline is None else Decimal(baseline),
        position=project.indicators.count(),
    )
    for start, end, value in targets:
        Target.objects.create(
            project_indicator=line, period_start=start, period_end=end, value=Decimal(value)
        )
    return line


def enter_value(
    chosen: Indicator,
    organization: Any,
    start: dt.date,
    end: dt.date,
    value: str,
    numerator: int | None = None,
    denominator: int | None = None,
) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=chosen,
        organization=organization,
        period_start=start,
        period_end=end,
        value=Decimal(value),
        numerator=numerator,
        denominator=denominator,
    )
