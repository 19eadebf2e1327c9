"""The network's public dashboard: people reached over the last twelve full months, by
month, region, sector and population type, network-wide, with small cells suppressed.
A coordinator switches it on (``set_public``); while it is off the page does not exist.

Suppression: a count from 1 to the small-cell threshold minus one is hidden ("<N"); when
a table holds exactly one hidden count, the smallest other non-zero count is hidden too
("hidden"),
so the hidden one cannot be worked out from the period's total (complementary
suppression). Zero is shown as zero, and every month of the period is shown, a month
without anybody reached as zero. Read from the monthly reach facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.helpline.figures import threshold
from ruta.lib.permissions import Cap, user_can
from ruta.measure import facts
from ruta.measure.models import PublicFigures
from ruta.measure.reach import last_full_month, month_end, year_to


def is_public() -> bool:
    return PublicFigures.objects.filter(pk=1, enabled=True).exists()


@transaction.atomic
def set_public(actor: Any, enabled: bool) -> PublicFigures:
    """Switch the public dashboard on or off (the caller checks the capability)."""
    row, _created = PublicFigures.objects.select_for_update().get_or_create(pk=1)
    row.enabled, row.changed_by, row.changed_at = enabled, actor, timezone.now()
    row.save()
    record("measure.public_dashboard." + ("enabled" if enabled else "disabled"), actor=actor)
    return row


def switch_context(user: Any) -> dict[str, Any]:
    """What the reach dashboard shows of the switch: to the coordinators, who decide."""
    if not user_can(user, Cap.CONSOLIDATE_FIVEW):
        return {}
    return {"public_switch": {"enabled": is_public()}}


def suppress(values: list[int], limit: int) -> list[int | None]:
    """``values`` with the small ones hidden (None), primary and complementary."""
    hidden = [0 < value < limit for value in values]
    if sum(hidden) == 1:
        others = [(value, i) for i, value in enumerate(values) if value > 0 and not hidden[i]]
        if others:
            hidden[min(others)[1]] = True
    return [None if hide else value for value, hide in zip(values, hidden, strict=True)]


@dataclass(frozen=True)
class Cell:
    key: Any
    value: int | None  # None: hidden
    small: bool = False  # hidden for being small (else hidden beside a small one)

    def shown(self, limit: int) -> str:
        if self.value is not None:
            return str(self.value)
        # A count hidden beside a small one is not small: "<N" would misstate it.
        return f"<{limit}" if self.small else str(_("hidden"))


def _cells(keys: list[Any], values: list[int], limit: int) -> list[Cell]:
    return [
        Cell(key, shown, 0 < raw < limit)
        for key, raw, shown in zip(keys, values, suppress(values, limit), strict=True)
    ]


@dataclass(frozen=True)
class PublicFiguresPage:
    start: dt.date
    end: dt.date
    limit: int
    new_total: int | None
    organizations: int
    months: list[Cell]
    by: dict[str, list[Cell]]  # "admin1", "sector", "population_type"


BREAKDOWNS = ("admin1", "sector", "population_type")


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve full months: first day of the first, last day of the last."""
    last = last_full_month(today)
    first = year_to(last)
    return first, month_end(last)


def figures(today: dt.date) -> PublicFiguresPage:
    start, end = period(today)
    limit = threshold()
    # The months and every breakdown in one statement, as the reach dashboard reads them.
    found = facts.breakdowns(("month", *BREAKDOWNS), start, end, None)
    months = facts.every_month(found["month"], start, end)
    month_cells = _cells([m.key for m in months], [m.new for m in months], limit)
    summary = facts.summary(start, end, None)
    by: dict[str, list[Cell]] = {}
    for name in BREAKDOWNS:
        totals = sorted(found[name], key=lambda t: (-t.new, t.key))
        totals = [t for t in totals if t.new]
        by[name] = _cells([t.key for t in totals], [t.new for t in totals], limit)
    new_total = summary.new if not 0 < summary.new < limit else None
    return PublicFiguresPage(
        start, end, limit, new_total, facts.reporting_organizations(start, end), month_cells, by
    )
