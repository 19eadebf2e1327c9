"""Refresh the monthly reach facts that the pages of figures read.

``manage.py refresh_reach_facts`` recomputes the months whose records changed since the
last refresh, and this month (each with the rest of its reporting year, since "new"
depends on the earlier months). ``--month YYYY-MM`` (repeatable) adds a month;
``--since YYYY-MM`` rebuilds every month from then to this year's December (the first
build on a database that already holds records); ``--enqueue`` hands the work to the
django-tasks worker instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ruta.measure import facts
from ruta.measure.tasks import refresh_reach_facts


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"Not a month (YYYY-MM): {value!r}") from error


class Command(BaseCommand):
    help = "Recompute the monthly reach facts changed since the last refresh."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", action="append", default=[], help="YYYY-MM")
        parser.add_argument("--since", help="YYYY-MM: rebuild every month from then")
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        months = [_month(value) for value in options["month"]]
        if options["since"]:
            since = _month(options["since"])
            this_year = timezone.localdate().year
            months += [dt.date(year, 1, 1) for year in range(since.year + 1, this_year + 1)]
            months.append(since)
        if options["enqueue"]:
            if months:
                facts.mark_dirty(months)
            refresh_reach_facts.enqueue()
            self.stdout.write("Refresh enqueued.")
            return
        done = facts.refresh(months)
        starts = ", ".join(m.strftime("%Y-%m") for m in done.starts)
        self.stdout.write(f"Recomputed from {starts} to December of each year: {done.facts} facts.")
