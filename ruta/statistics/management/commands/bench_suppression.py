"""Time the suppression of one report's tables, beside its floor.

A scratch report (no database): ``--incidents`` random incidents cross-classified as the
report does (type x sex and age x sex sharing the totals by sex; perpetrator, place and
delay by month sharing the month totals; all sharing the grand total) plus a referrals
table. Prints the median time of ``suppress`` (search and audit) and its floor: the number
of linear programmes it solved times the time of one re-solve (a warm simplex), on the final
programme, in the same run. With ``--reference`` it also times the straightforward audit on
the same reports (the whole programme, one fresh ``linprog`` per bound) and checks that both
hide the same cells and find the same intervals.
"""

from __future__ import annotations

import copy
import math
import random
import statistics
import time
from collections.abc import Sequence
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


class _Counting:
    """A solver factory that keeps what it made, to count the programmes they solved."""

    def __init__(self, solver: suppression.Solver):
        self.solver = solver
        self.made: list[suppression.Bounds] = []

    def __call__(self, grids: Sequence[suppression.Grid]) -> suppression.Bounds:
        self.made.append(self.solver(grids))
        return self.made[-1]

    @property
    def runs(self) -> int:
        return sum(bounds.runs for bounds in self.made)


def _same(first: suppression.AuditResult, second: suppression.AuditResult) -> bool:
    pairs = list(zip(first.intervals, second.intervals, strict=True))
    return all(
        (a.table, a.position, a.primary) == (b.table, b.position, b.primary)
        and math.isclose(a.low, b.low, abs_tol=1e-7)
        and (a.high == b.high or math.isclose(a.high, b.high, abs_tol=1e-7))
        for a, b in pairs
    )


def _one_re_solve(grids: list[suppression.Grid]) -> float:
    """The time of one warm re-solve (a largest value) on ``grids``' programme."""
    bounds = suppression.GroupedBounds(grids)
    numbers = sorted(set(bounds.index.values()))[:20]
    for number in numbers:  # the first solve of a group starts cold
        bounds.solve(number, -1.0)
    runs = bounds.runs
    started = time.perf_counter()
    for number in numbers:
        bounds.solve(number, -1.0)
    return (time.perf_counter() - started) / max(1, bounds.runs - runs)


class Command(BaseCommand):
    help = "Time the small-cell suppression of a scratch report beside its floor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incidents", type=int, default=60)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--threshold", type=int, default=5)
        parser.add_argument(
            "--reference",
            action="store_true",
            help="Also time the straightforward audit and check it decides the same.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(7)  # noqa: S311 - a scratch dataset, no secret
        threshold = options["threshold"]
        totals, programmes, singles = [], [], []
        references, reference_programmes = [], []
        for _run in range(options["runs"]):
            grids = scratch_report(rng, options["incidents"])
            copies = copy.deepcopy(grids)
            counting = _Counting(suppression.GroupedBounds)
            started = time.perf_counter()
            result = suppression.suppress(grids, threshold, solver=counting)
            totals.append(time.perf_counter() - started)
            programmes.append(counting.runs)
            if not result.ok:
                raise AssertionError("suppression returned a failing audit")
            singles.append(_one_re_solve(grids))
            if options["reference"]:
                counting = _Counting(suppression.LinprogBounds)
                started = time.perf_counter()
                reference = suppression.suppress(copies, threshold, solver=counting)
                references.append(time.perf_counter() - started)
                reference_programmes.append(counting.runs)
                hidden = [grid.hidden for grid in grids]
                if [grid.hidden for grid in copies] != hidden or not _same(reference, result):
                    raise AssertionError("the straightforward audit decided differently")
        median_lps = statistics.median(programmes)
        single = statistics.median(singles)
        self.stdout.write(
            f"{options['incidents']} incidents, {options['runs']} reports: suppress + audit "
            f"median {statistics.median(totals):.3f}s (max {max(totals):.3f}s); "
            f"floor {median_lps * single:.3f}s "
            f"({median_lps:.0f} linear programmes x {single * 1000:.2f} ms)"
        )
        if references:
            self.stdout.write(
                f"reference (one fresh linprog per bound): median "
                f"{statistics.median(references):.3f}s (max {max(references):.3f}s, "
                f"{statistics.median(reference_programmes):.0f} linear programmes); "
                "same cells hidden, same intervals"
            )
