"""Small-cell suppression for published count tables, and the audit that proves it holds.

Pure functions over plain lists of integers: no database, no Django.

A table is its interior (``m`` rows by ``n`` columns of counts); what is published is the
*full grid*: the interior plus a total column (row totals), a total row (column totals) and
the grand total, ``(m + 1) x (n + 1)`` cells. Totals are published figures like any other:
they are suppressed by the same rules.

Rules (``threshold`` ``t``, 3 or more; 5 by default):

* **Zeros are published.** A 0 says that nothing was reported; it is not a small count of
  people and GBVIMS practice publishes it. A zero is never chosen to hide another cell either
  (a suppressed cell known to be 0 protects nothing), so every suppressed cell is at least 1.
* **Primary suppression**: every cell (totals included) holding 1 to ``t - 1`` is shown as
  "<t", never its value.
* **Complementary suppression**: further cells are hidden so that no hidden value can be
  worked out from what is published. First, every row and column of the full grid that holds
  exactly one hidden cell gets a second one (the smallest non-zero published cell of that
  line, interior cells before totals). Then the audit below runs; while it finds a cell whose
  interval is too narrow, the smallest non-zero published cell of that cell's row or column
  is hidden as well (any other non-zero published cell when those lines have none left), and
  the audit runs again. Every round hides one more cell, and a table whose every non-zero
  cell is hidden passes (see ``audit``), so the loop ends.
* Tables that share figures (the same month total in several tables of one report, the same
  grand total) are suppressed and audited **together**: a shared figure hidden in one table
  is hidden in all, and the audit solves one linear programme over all of them, so combining
  two tables tells no more than each alone.

The audit (``audit``): for every hidden cell, find the smallest and the largest value it can
take given everything published, by linear programming: hidden cells are unknowns ``>= 0``
(relaxed from integers), published cells are fixed, and every row, column and grand-total
equation of every table holds. The rule, for threshold ``t``, is:

1. every hidden cell's interval is at least ``t`` wide (``max - min >= t``): nobody can pin
   a hidden value to fewer than ``t + 1`` candidates from the totals; and
2. a primary cell's interval also starts at 0 or 1 (``min <= 1``).

Why both: the "<t" label itself tells readers that a primary cell holds 1 to ``t - 1``. With
(2) the totals do not rule out the low end of that range, and with (1) the interval reaches at
least ``t``, beyond its high end, so the totals add nothing to what the label says: every
value from 1 to ``t - 1`` stays possible. Bounds are read as integers (``min`` rounded up,
``max`` down) before the rule is applied.

Integers: for one table, or two tables sharing their column totals, the equations form a
network matrix, which is totally unimodular, so the relaxed bounds are exactly the integer
bounds. For three or more tables sharing the same totals (the monthly tables of a report)
the relaxed bounds are outer bounds of the integer ones; a reader reasoning in integers could
in rare cases narrow an interval further than the audit shows. This is a known limit.

Cost: every hidden cell costs one or two small linear programmes, solved by HiGHS
(``highspy``). Hidden cells that no equation links (through a chain of equations) bound each
other in no way, so the programme is split into these groups and each group is one model,
built once per audit: each bound is a re-solve with one cost changed, from the last basis.
A cell at 0 in any optimal point found so far has 0 as its smallest value and is not
minimised. ``LinprogBounds`` (the whole programme, one fresh ``scipy.optimize.linprog`` per
bound) gives the same intervals, more slowly; the tests hold one against the other. While
searching, ``suppress`` keeps the intervals it has proven safe: hiding one more cell only
frees a fixed figure, so every interval can only widen and a proven cell stays proven. The
publishing gate (``report.audit_shown``) solves every interval again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3

Position = tuple[int, int]  # (row, column) in the full grid; row m / column n are totals


@dataclass
class Grid:
    """One table: the full grid of published figures and which of them are hidden.

    ``keys`` names figures shared with other tables (same key, same figure): the position
    of a shared cell maps to its key; shared cells are hidden everywhere or nowhere.
    """

    values: list[list[int]]
    hidden: set[Position] = field(default_factory=set)
    primary: set[Position] = field(default_factory=set)
    keys: dict[Position, str] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.values)

    @property
    def columns(self) -> int:
        return len(self.values[0])

    def lines(self) -> list[list[Position]]:
        """Each row and each column of the full grid, its total cell last."""
        found = [[(i, j) for j in range(self.columns)] for i in range(self.rows)]
        found += [[(i, j) for i in range(self.rows)] for j in range(self.columns)]
        return found


def full_grid(interior: Sequence[Sequence[int]]) -> list[list[int]]:
    """``interior`` with its row totals, column totals and grand total added."""
    if not interior or not interior[0]:
        raise ValueError("A table needs at least one row and one column.")
    width = len(interior[0])
    if any(len(row) != width for row in interior):
        raise ValueError("Every row of a table needs the same number of columns.")
    if any(value < 0 for row in interior for value in row):
        raise ValueError("Counts cannot be negative.")
    rows = [[*row, sum(row)] for row in interior]
    totals = [sum(row[j] for row in rows) for j in range(width + 1)]
    return [*rows, totals]


def validate_threshold(threshold: int) -> None:
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(f"The suppression threshold is at least {MINIMUM_THRESHOLD}.")


def primary_cells(values: list[list[int]], threshold: int) -> set[Position]:
    """Cells (totals included) holding 1 to ``threshold - 1``."""
    return {
        (i, j)
        for i, row in enumerate(values)
        for j, value in enumerate(row)
        if 0 < value < threshold
    }


@dataclass(frozen=True)
class Interval:
    """What a reader can work out about one hidden cell from everything published."""

    table: int
    position: Position
    low: float
    high: float  # math.inf when nothing bounds it from above
    primary: bool

    @property
    def width(self) -> float:
        return self.high - self.low

    def safe(self, threshold: int) -> bool:
        # Integer readings of the relaxed bounds (a small tolerance for the solver).
        low = math.ceil(self.low - 1e-6)
        high = math.inf if math.isinf(self.high) else math.floor(self.high + 1e-6)
        if high - low < threshold:
            return False
        return not (self.primary and low > 1)


@dataclass(frozen=True)
class AuditResult:
    threshold: int
    intervals: list[Interval]

    @property
    def unsafe(self) -> list[Interval]:
        return [interval for interval in self.intervals if not interval.safe(self.threshold)]

    @property
    def ok(self) -> bool:
        return not self.unsafe


def _variables(grids: Sequence[Grid]) -> dict[tuple[int, Position], int]:
    """One LP variable per hidden figure; a shared figure is one variable in every table."""
    index: dict[tuple[int, Position], int] = {}
    by_key: dict[str, int] = {}
    count = 0
    for t, grid in enumerate(grids):
        for position in sorted(grid.hidden):
            key = grid.keys.get(position)
            if key is not None and key in by_key:
                index[(t, position)] = by_key[key]
                continue
            number = count
            count += 1
            index[(t, position)] = number
            if key is not None:
                by_key[key] = number
    return index


def _programme(grids: Sequence[Grid]) -> tuple[dict[tuple[int, Position], int], Any, Any]:
    """The variables and the equations (every row, column and grand total) of ``grids``."""
    index = _variables(grids)
    count = len(set(index.values()))
    equations: list[list[float]] = []
    constants: list[float] = []
    for t, grid in enumerate(grids):
        for line in grid.lines():
            coefficients = [0.0] * count
            constant = 0.0
            *parts, total = line
            for position, sign in [*((p, 1.0) for p in parts), (total, -1.0)]:
                if position in grid.hidden:
                    coefficients[index[(t, position)]] += sign
                else:
                    constant -= sign * grid.values[position[0]][position[1]]
            if any(coefficients):
                equations.append(coefficients)
                constants.append(constant)
    return index, equations or None, constants or None


def _solve(number: int, sense: float, count: int, equations: Any, constants: Any) -> float:
    """The smallest (``sense`` 1) or largest (``sense`` -1) value of variable ``number``."""
    from scipy.optimize import linprog  # heavy import, only where tables are audited

    objective = [0.0] * count
    objective[number] = sense
    result = linprog(
        objective,
        A_eq=equations,
        b_eq=constants,
        bounds=[(0, None)] * count,
        method="highs",
    )
    if result.status == 3:  # unbounded: only maximising can be
        return math.inf
    if result.status != 0:
        raise ArithmeticError(f"The audit could not solve its programme: {result.message}")
    return sense * float(result.fun)


Row = list[tuple[int, float]]  # one equation's non-zero (variable, coefficient) pairs


def _components(count: int, rows: list[Row]) -> list[list[int]]:
    """The variables split into groups no equation links: each group's bounds depend on its
    own equations only (the feasible set is the product of the groups' feasible sets)."""
    parent = list(range(count))

    def root(number: int) -> int:
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    for row in rows:
        for number, _coefficient in row[1:]:
            parent[root(number)] = root(row[0][0])
    groups: dict[int, list[int]] = {}
    for number in range(count):
        groups.setdefault(root(number), []).append(number)
    return list(groups.values())


class _Component:
    """One group of linked variables as one HiGHS model, built once and solved again for
    every objective (only one cost changes; the simplex starts from the last basis).

    Every optimal point found is a feasible point of the group: a variable at 0 there has
    0 as its smallest value, and is not minimised again."""

    def __init__(self, members: list[int], rows: list[Row], constants: list[float]):
        import highspy  # heavy import, only where tables are audited
        import numpy

        self.local = {number: k for k, number in enumerate(members)}
        self.lowest: dict[int, float] = {}
        self.model: Any = None
        self.runs = 0
        if not rows:  # nothing bounds these variables: [0, inf)
            return
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        for row in rows:
            starts.append(len(indices))
            for number, coefficient in row:
                indices.append(self.local[number])
                values.append(coefficient)
        right = numpy.array(constants, dtype=numpy.float64)
        model = highspy.Highs()  # type: ignore[no-untyped-call]  # its __init__ is unannotated
        model.setOptionValue("output_flag", False)
        size = len(members)
        model.addVars(size, numpy.zeros(size), numpy.full(size, highspy.kHighsInf))
        model.addRows(
            len(rows),
            right,
            right,
            len(indices),
            numpy.array(starts, dtype=numpy.int32),
            numpy.array(indices, dtype=numpy.int32),
            numpy.array(values, dtype=numpy.float64),
        )
        self.model = model
        self.status = highspy.HighsModelStatus

    def solve(self, number: int, sense: float) -> float:
        """The smallest (``sense`` 1) or largest (``sense`` -1) value of variable ``number``."""
        if sense > 0 and number in self.lowest:
            return self.lowest[number]
        if self.model is None:
            return 0.0 if sense > 0 else math.inf
        status, value, point = self._run(number, sense)
        if status not in (self.status.kOptimal, self.status.kUnbounded):
            # A warm start can end undecided (seen after unbounded solves), and presolve
            # may not tell unbounded from infeasible: solve again from scratch, no presolve.
            self.model.clearSolver()
            self.model.setOptionValue("presolve", "off")
            status, value, point = self._run(number, sense)
            self.model.setOptionValue("presolve", "choose")
        if sense < 0 and status == self.status.kUnbounded:
            return math.inf
        if status != self.status.kOptimal:
            message = self.model.modelStatusToString(status)
            raise ArithmeticError(f"The audit could not solve its programme: {message}")
        for other, j in self.local.items():
            if abs(point[j]) <= 1e-9:
                self.lowest[other] = 0.0
        return value

    def _run(self, number: int, sense: float) -> tuple[Any, float, Any]:
        """One simplex run: its status, its objective's value and its point."""
        model, k = self.model, self.local[number]
        model.changeColCost(k, sense)
        model.run()
        self.runs += 1
        status = model.getModelStatus()
        value = sense * float(model.getInfo().objective_function_value)
        point = model.getSolution().col_value
        model.changeColCost(k, 0.0)  # resets the status: read everything before
        return status, value, point


class GroupedBounds:
    """The programme of ``grids`` split into independent groups, each solved by its own
    model (see ``_Component``): the same bounds as ``_solve`` over the whole programme."""

    def __init__(self, grids: Sequence[Grid]):
        self.index, equations, constants = _programme(grids)
        count = len(set(self.index.values()))
        rows = [[(k, c) for k, c in enumerate(line) if c] for line in equations or []]
        groups = _components(count, rows)
        group_of = {number: g for g, members in enumerate(groups) for number in members}
        split: list[tuple[list[Row], list[float]]] = [([], []) for _members in groups]
        for row, constant in zip(rows, constants or [], strict=True):
            split[group_of[row[0][0]]][0].append(row)
            split[group_of[row[0][0]]][1].append(constant)
        self.components = [_Component(members, *split[g]) for g, members in enumerate(groups)]
        self.component = {n: self.components[g] for n, g in group_of.items()}

    def solve(self, number: int, sense: float) -> float:
        return self.component[number].solve(number, sense)

    @property
    def runs(self) -> int:
        """How many linear programmes the simplex solved."""
        return sum(component.runs for component in self.components)


class Bounds(Protocol):
    """How an audit finds the bounds of its programme's variables."""

    index: dict[tuple[int, Position], int]

    @property
    def runs(self) -> int:
        """How many linear programmes it solved."""

    def solve(self, number: int, sense: float) -> float: ...


Solver = Callable[[Sequence[Grid]], Bounds]


class LinprogBounds:
    """The straightforward audit: the whole programme, one fresh ``linprog`` per bound.
    Slow; the tests and ``bench_suppression`` hold ``GroupedBounds`` against it."""

    def __init__(self, grids: Sequence[Grid]):
        self.index, self.equations, self.constants = _programme(grids)
        self.count = len(set(self.index.values()))
        self.solved = 0

    @property
    def runs(self) -> int:
        return self.solved

    def solve(self, number: int, sense: float) -> float:
        self.solved += 1
        return _solve(number, sense, self.count, self.equations, self.constants)


def _intervals(
    grids: Sequence[Grid],
    threshold: int,
    *,
    stop_at_unsafe: bool = False,
    proven: dict[tuple[int, Position], Interval] | None = None,
    solver: Solver,
) -> AuditResult:
    """Every hidden cell's interval; ``proven`` (searching only) holds intervals already
    shown safe and skips them, and a cell whose upper end alone proves it safe keeps its
    true value as its lower end (a narrower, so safe-side, interval)."""
    validate_threshold(threshold)
    programme = solver(grids)
    index = programme.index
    solved: dict[int, tuple[float, float]] = {}
    intervals = []
    # Primary cells first: when only the first unsafe cell is wanted, it is found sooner.
    order = sorted(
        index.items(), key=lambda item: (item[0][1] not in grids[item[0][0]].primary, item)
    )
    for (t, position), number in order:
        primary = position in grids[t].primary
        if proven is not None and (t, position) in proven:
            intervals.append(proven[(t, position)])
            continue
        if number not in solved:
            value = grids[t].values[position[0]][position[1]]
            high = programme.solve(number, -1.0)
            if proven is not None and high - value >= threshold and (value <= 1 or not primary):
                solved[number] = (float(value), high)  # the true value is a lower bound
            else:
                solved[number] = (programme.solve(number, 1.0), high)
        low, high = solved[number]
        interval = Interval(t, position, low, high, primary)
        intervals.append(interval)
        if interval.safe(threshold) and proven is not None:
            proven[(t, position)] = interval
        if stop_at_unsafe and not interval.safe(threshold):
            break
    return AuditResult(threshold, intervals)


def audit(grids: Sequence[Grid], threshold: int, *, solver: Solver | None = None) -> AuditResult:
    """The interval of every hidden cell given every published figure (see the module).
    ``solver`` (tests and benchmarks) replaces the usual ``GroupedBounds``."""
    return _intervals(grids, threshold, solver=solver or GroupedBounds)


def _share(grids: Sequence[Grid]) -> bool:
    """Hide a shared figure everywhere once it is hidden anywhere; True if anything changed."""
    hidden_keys = {grid.keys[p] for grid in grids for p in grid.hidden if p in grid.keys}
    changed = False
    for grid in grids:
        for position, key in grid.keys.items():
            if key in hidden_keys and position not in grid.hidden:
                grid.hidden.add(position)
                changed = True
    return changed


def _candidates(grid: Grid, cells: list[Position]) -> list[Position]:
    """Published non-zero cells, smallest first, interior cells before totals."""
    last_row, last_column = grid.rows - 1, grid.columns - 1
    found = [p for p in cells if p not in grid.hidden and grid.values[p[0]][p[1]] > 0]
    return sorted(
        found,
        key=lambda p: (
            p[0] == last_row or p[1] == last_column,
            grid.values[p[0]][p[1]],
            p,
        ),
    )


def _pair_lines(grid: Grid) -> bool:
    """Give every line with exactly one hidden cell a second one; True if anything changed."""
    changed = False
    progress = True
    while progress:
        progress = False
        for line in grid.lines():
            if sum(1 for p in line if p in grid.hidden) == 1:
                chosen = _candidates(grid, line)
                if chosen:
                    grid.hidden.add(chosen[0])
                    progress = changed = True
    return changed


def _widen(grids: Sequence[Grid], interval: Interval) -> None:
    """Hide one more cell near ``interval``'s cell (see the module's rules)."""
    grid = grids[interval.table]
    row, column = interval.position
    near = [(row, j) for j in range(grid.columns)] + [(i, column) for i in range(grid.rows)]
    chosen = _candidates(grid, near)
    if not chosen:
        everywhere = [(i, j) for i in range(grid.rows) for j in range(grid.columns)]
        chosen = _candidates(grid, everywhere)
    if chosen:
        grid.hidden.add(chosen[0])
        return
    for other in grids:  # this table is all hidden: widen through the tables it shares with
        everywhere = [(i, j) for i in range(other.rows) for j in range(other.columns)]
        chosen = _candidates(other, everywhere)
        if chosen:
            other.hidden.add(chosen[0])
            return
    raise ArithmeticError("Every non-zero figure is hidden and the audit still fails.")


def check_shared(grids: Sequence[Grid]) -> None:
    """Figures under one key are one figure: they must hold the same value everywhere."""
    seen: dict[str, int] = {}
    for grid in grids:
        for (i, j), key in grid.keys.items():
            value = grid.values[i][j]
            if seen.setdefault(key, value) != value:
                raise ValueError(f"The shared figure {key!r} differs between tables.")


def suppress(grids: Sequence[Grid], threshold: int, *, solver: Solver | None = None) -> AuditResult:
    """Hide primary and complementary cells of ``grids`` in place; return the passing audit.
    ``solver`` (tests and benchmarks) replaces the usual ``GroupedBounds``."""
    validate_threshold(threshold)
    check_shared(grids)
    for grid in grids:
        grid.primary = primary_cells(grid.values, threshold)
        grid.hidden = set(grid.primary)
    changed = True
    while changed:
        changed = _share(grids)
        for grid in grids:
            changed = _pair_lines(grid) or changed
    # Hiding one more cell only drops an equation's fixed term: every interval can only
    # widen, so a cell once proven safe stays safe and is not solved again.
    proven: dict[tuple[int, Position], Interval] = {}
    while True:
        first = _intervals(
            grids, threshold, stop_at_unsafe=True, proven=proven, solver=solver or GroupedBounds
        )
        if first.ok:  # nothing stopped it: every hidden cell was checked
            return first
        _widen(grids, first.unsafe[0])
        _share(grids)


def table(interior: Sequence[Sequence[int]], keys: dict[Position, str] | None = None) -> Grid:
    """A grid for ``interior`` (its totals added), nothing hidden yet."""
    return Grid(values=full_grid(interior), keys=dict(keys or {}))
