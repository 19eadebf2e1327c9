"""Time the suppression of one report's tables, beside its floor.

A scratch report (no database): ``--incidents`` random incidents cross-classified as the
report does (type x sex and age x sex sharing the totals by sex; perpetrator, place and
delay by month sharing the month totals; all sharing the grand total) plus a referrals
table. Prints the median time of ``suppress`` (search and audit) and its floor: the number
of linear programmes it solved times the time of one, on the final programme, in the same
run.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.statistics import suppression


def scratch_report(rng: random.Random, incidents: int) -> list[suppression.Grid]:
    records = [
        (
            rng.randrange(6),
            min(7, int(rng.expovariate(0.5))),
            rng.choice([0, 0, 0, 0, 1, 2, 3, 4]),
            rng.randrange(7),
            rng.randrange(9),
            rng.randrange(5),
            rng.randrange(3),
        )
        for _n in range(incidents)
    ]
    specs = [(0, 2, 6, 5, "sex"), (1, 2, 8, 5, "sex")]
    specs += [(3, 6, 7, 3, "month"), (4, 6, 9, 3, "month"), (5, 6, 5, 3, "month")]
    grids = []
    for row, column, rows, columns, shared in specs:
        interior = [[0] * columns for _r in range(rows)]
        for record in records:
            interior[record[row]][record[column]] += 1
        keys = {(rows, columns): "incidents"}
        keys.update({(rows, j): f"{shared}:{j}" for j in range(columns)})
        grids.append(suppression.table(interior, keys))
    referrals = [[rng.choice([0, 1, 2, 3, 6, 9]) for _j in range(4)] for _i in range(3)]
    grids.append(suppression.table(referrals))
    return grids


class Command(BaseCommand):
    help = "Time the small-cell suppression of a scratch report beside its floor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incidents", type=int, default=60)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--threshold", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(7)  # noqa: S311 - a scratch dataset, no secret
        solve = suppression._solve
        calls = [0]

        def counted(*arguments: Any) -> float:
            calls[0] += 1
            return solve(*arguments)

        totals, programmes, singles = [], [], []
        suppression._solve = counted  # type: ignore[assignment]
        try:
            for _run in range(options["runs"]):
                grids = scratch_report(rng, options["incidents"])
                calls[0] = 0
                started = time.perf_counter()
                result = suppression.suppress(grids, options["threshold"])
                totals.append(time.perf_counter() - started)
                programmes.append(calls[0])
                if not result.ok:
                    raise AssertionError("suppression returned a failing audit")
                index, equations, constants = suppression._programme(grids)
                count = len(set(index.values()))
                started = time.perf_counter()
                for number in range(min(count, 20)):
                    solve(number, -1.0, count, equations, constants)
                singles.append((time.perf_counter() - started) / max(1, min(count, 20)))
        finally:
            suppression._solve = solve
        median_lps = statistics.median(programmes)
        self.stdout.write(
            f"{options['incidents']} incidents, {options['runs']} reports: suppress + audit "
            f"median {statistics.median(totals):.2f}s (max {max(totals):.2f}s); "
            f"floor {median_lps * statistics.median(singles):.2f}s "
            f"({median_lps:.0f} linear programmes x {statistics.median(singles) * 1000:.1f} ms)"
        )
