"""Demo: after the other apps' demo records (measure loads after them), compute the
monthly reach facts of the last two years so the analyst opens a full dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ruta.measure import facts


@dataclass(frozen=True)
class FactsRefreshed:
    count: int

    def describe(self) -> str:
        return f"Monthly reach facts computed: {self.count}."


def load_demo() -> FactsRefreshed:
    year = timezone.localdate().year
    return FactsRefreshed(facts.refresh([dt.date(year - 1, 1, 1), dt.date(year, 1, 1)]).facts)
