"""Small-cell suppression: known tables and properties over random ones (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruta.statistics.suppression import (
    Grid,
    audit,
    full_grid,
    primary_cells,
    suppress,
    table,
)


def test_full_grid_adds_row_column_and_grand_totals() -> None:
    assert full_grid([[1, 2], [3, 4]]) == [[1, 2, 3], [3, 4, 7], [4, 6, 10]]


def test_primary_cells_are_the_small_non_zero_counts_totals_included() -> None:
    values = full_grid([[0, 2], [7, 9]])
    assert primary_cells(values, 5) == {(0, 1), (0, 2)}  # the 2 and its row total 2


def test_the_audit_catches_a_cell_recoverable_from_its_row_total() -> None:
    grid = table([[2, 10], [10, 20]])
    grid.primary = grid.hidden = {(0, 0)}
    result = audit([grid], 5)
    assert not result.ok
    (interval,) = result.unsafe
    assert (interval.low, interval.high) == (2, 2)  # 12 - 10: the value itself


def test_a_rectangle_of_four_hidden_cells_passes() -> None:
    grid = table([[2, 10], [10, 20]])
    grid.primary = {(0, 0)}
    grid.hidden = {(0, 0), (0, 1), (1, 0), (1, 1)}
    result = audit([grid], 5)
    assert result.ok
    assert {(i.position, i.low, i.high) for i in result.intervals} == {
        ((0, 0), 0, 12),
        ((0, 1), 0, 12),
        ((1, 0), 0, 12),
        ((1, 1), 18, 30),
    }


def test_a_primary_cell_whose_low_end_is_pinned_above_one_fails() -> None:
    # Readers know "<5" means 1..4; totals proving it is at least 3 narrow that.
    grid = Grid(values=[[3, 0, 3], [0, 0, 0], [3, 0, 3]])
    grid.primary = {(0, 0)}
    grid.hidden = {(0, 0), (0, 2), (2, 0), (2, 2)}
    (interval,) = [i for i in audit([grid], 5).intervals if i.position == (0, 0)]
    assert interval.high == math.inf
    assert interval.safe(5)  # everything around it hidden and unbounded: still safe


def test_suppress_hides_the_small_cell_and_enough_others() -> None:
    grid = table([[2, 10, 7], [10, 20, 8], [0, 3, 9]])
    result = suppress([grid], 5)
    assert result.ok
    assert {(0, 0), (2, 1)} <= grid.primary
    assert len(grid.hidden) > len(grid.primary)
    assert (2, 0) not in grid.hidden  # a zero is published and never hides another cell


def test_a_threshold_below_three_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        suppress([table([[1]])], 2)


def test_shared_totals_are_hidden_in_every_table_and_audited_together() -> None:
    first = table([[3, 9], [8, 9]], keys={(2, 0): "month:1", (2, 1): "month:2", (2, 2): "all"})
    second = table([[6, 12], [5, 6]], keys={(2, 0): "month:1", (2, 1): "month:2", (2, 2): "all"})
    result = suppress([first, second], 5)
    assert result.ok
    for key_position in ((2, 0), (2, 1), (2, 2)):
        assert (key_position in first.hidden) == (key_position in second.hidden)


counts = st.integers(min_value=0, max_value=12) | st.sampled_from([0, 1, 2, 3, 4])


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[int]], int]:
    rows = draw(st.integers(min_value=1, max_value=5))
    columns = draw(st.integers(min_value=1, max_value=4))
    interior = [[draw(counts) for _j in range(columns)] for _i in range(rows)]
    return interior, draw(st.integers(min_value=3, max_value=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_every_suppressed_table_passes_an_independent_audit(
    case: tuple[list[list[int]], int],
) -> None:
    interior, threshold = case
    grid = table(interior)
    suppress([grid], threshold)
    values = grid.values
    # Every small count is hidden, nothing else is changed, zeros stay published.
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if 0 < value < threshold:
                assert (i, j) in grid.hidden and (i, j) in grid.primary
            if value == 0:
                assert (i, j) not in grid.hidden
    # A fresh audit of what is published: no hidden value can be narrowed below the rule.
    fresh = Grid(values=values, hidden=set(grid.hidden), primary=set(grid.primary))
    result = audit([fresh], threshold)
    assert result.ok
    for interval in result.intervals:
        assert interval.high - interval.low >= threshold
        if interval.primary:
            assert interval.low <= 1 + 1e-6


@st.composite
def linked_tables(draw: st.DrawFn) -> tuple[list[list[int]], list[list[int]], int]:
    """Two cross-classifications of the same records (type x sex and age x sex): their
    column totals and grand total are the same figures."""
    records = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=2),
                st.integers(min_value=0, max_value=2),
                st.integers(min_value=0, max_value=2),
            ),
            min_size=1,
            max_size=40,
        )
    )
    first = [[0] * 3 for _i in range(3)]
    second = [[0] * 3 for _i in range(3)]
    for a, b, c in records:
        first[a][c] += 1
        second[b][c] += 1
    return first, second, draw(st.integers(min_value=3, max_value=5))


def _keys() -> dict[tuple[int, int], str]:
    return {(3, 0): "c0", (3, 1): "c1", (3, 2): "c2", (3, 3): "all"}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables())
def test_linked_tables_hide_shared_figures_alike_and_pass_a_joint_audit(
    case: tuple[list[list[int]], list[list[int]], int],
) -> None:
    first_interior, second_interior, threshold = case
    first, second = table(first_interior, _keys()), table(second_interior, _keys())
    assert suppress([first, second], threshold).ok
    for position in _keys():
        assert (position in first.hidden) == (position in second.hidden)
    fresh = [
        Grid(values=g.values, hidden=set(g.hidden), primary=set(g.primary), keys=_keys())
        for g in (first, second)
    ]
    assert audit(fresh, threshold).ok


def test_shared_figures_that_disagree_are_refused() -> None:
    first = table([[3, 9]], keys={(1, 2): "all"})
    second = table([[6, 5]], keys={(1, 2): "all"})
    with pytest.raises(ValueError, match="differs"):
        suppress([first, second], 5)
