"""People reached per month, without double counting.

For each month, organization, admin1, admin2, sector and population type (a *cell*):

- **total monthly beneficiaries**: the people reached that month: each pseudonymous key
  once, plus every anonymous count (which cannot be de-duplicated);
- **new beneficiaries**: the people first reached in the cell in the reporting year
  (January to December): a key seen in an earlier month of the same year is not new;
  anonymous counts are all new, as nothing tells them apart. Summing ``new`` over the
  months of a year gives the year's consolidated figure, as R4V sums it;
- ``not_deduplicated``: how many of the total are anonymous counts, so that every figure
  can say which share could not be de-duplicated.

A keyed person reached in one month under several sex/age groups (a birthday, a
correction) is counted under the group of their latest row in the month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ruta.measure.registry import ReachRow, SexAge, rows


@dataclass(frozen=True, order=True)
class Cell:
    month: dt.date
    organization_id: int
    admin1: str
    admin2: str
    sector: str
    population_type: str


@dataclass
class Figure:
    cell: Cell
    total: int = 0
    new: int = 0
    not_deduplicated: int = 0
    total_by_group: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SexAge.ALL, 0))
    new_by_group: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SexAge.ALL, 0))
    lgbtiq: int = 0
    disability: int = 0

    @property
    def deduplicated_share(self) -> float:
        """Share of ``total`` that is de-duplicated (1.0 when nobody was reached)."""
        if not self.total:
            return 1.0
        return (self.total - self.not_deduplicated) / self.total

    @property
    def not_deduplicated_pct(self) -> int:
        return round(100 * (1 - self.deduplicated_share))


def _cell(row: ReachRow) -> Cell:
    return Cell(
        row.month,
        row.organization_id,
        row.admin1,
        row.admin2,
        row.sector,
        row.population_type,
    )


def compute_rows(reach: list[ReachRow], first_month: dt.date, last_month: dt.date) -> list[Figure]:
    """The figures of the months ``first_month``..``last_month`` from ``reach``, which
    must also hold the rows of the earlier months of the same reporting year."""
    figures: dict[Cell, Figure] = {}
    people: dict[Cell, dict[str, ReachRow]] = defaultdict(dict)
    for row in sorted(reach, key=lambda r: r.day):
        cell = _cell(row)
        if row.person_key is None:
            if first_month <= row.month <= last_month:
                figure = figures.setdefault(cell, Figure(cell))
                figure.total += row.count
                figure.new += row.count
                figure.not_deduplicated += row.count
                figure.lgbtiq += row.lgbtiq
                figure.disability += row.disability
                if row.sex_age:
                    figure.total_by_group[row.sex_age] += row.count
                    figure.new_by_group[row.sex_age] += row.count
        else:
            people[cell][row.person_key] = row  # the latest row of the month wins
    # Where each key was first seen in its year, by the cell without the month.
    first_seen: dict[tuple[int, Cell, str], dt.date] = {}
    for cell in sorted(people):
        place = Cell(dt.date(1, 1, 1), *_place(cell))
        for key in people[cell]:
            first_seen.setdefault((cell.month.year, place, key), cell.month)
    for cell, keyed in people.items():
        if not first_month <= cell.month <= last_month:
            continue
        figure = figures.setdefault(cell, Figure(cell))
        place = Cell(dt.date(1, 1, 1), *_place(cell))
        for key, row in keyed.items():
            group = row.sex_age or SexAge.OTHER
            figure.total += 1
            figure.total_by_group[group] += 1
            figure.lgbtiq += min(row.lgbtiq, 1)
            figure.disability += min(row.disability, 1)
            if first_seen[(cell.month.year, place, key)] == cell.month:
                figure.new += 1
                figure.new_by_group[group] += 1
    return [figures[cell] for cell in sorted(figures)]


def _place(cell: Cell) -> tuple[int, str, str, str, str]:
    return (cell.organization_id, cell.admin1, cell.admin2, cell.sector, cell.population_type)


def month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def last_full_month(today: dt.date) -> dt.date:
    """The first day of the month before ``today``'s."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def year_to(month: dt.date) -> dt.date:
    """The first day of the first of the twelve months that end with ``month``."""
    return (month.replace(day=1, year=month.year - 1) + dt.timedelta(days=32)).replace(day=1)


def compute(
    first_month: dt.date,
    last_month: dt.date | None = None,
    organization_ids: frozenset[int] | None = None,
) -> list[Figure]:
    """The figures of ``first_month``..``last_month`` (both first days of a month, in one
    reporting year), reading the sources from the start of that year."""
    last_month = last_month or first_month
    year_start = first_month.replace(month=1, day=1)
    reach = rows(year_start, month_end(last_month), organization_ids)
    return compute_rows(reach, first_month, last_month)


@dataclass
class Summary:
    total: int = 0
    new: int = 0
    not_deduplicated: int = 0

    @property
    def not_deduplicated_pct(self) -> int:
        return round(100 * self.not_deduplicated / self.total) if self.total else 0


def summarise(figures: list[Figure]) -> Summary:
    """Sums over cells (people in two cells count in both: a cell is a sector and place)."""
    summary = Summary()
    for figure in figures:
        summary.total += figure.total
        summary.new += figure.new
        summary.not_deduplicated += figure.not_deduplicated
    return summary
