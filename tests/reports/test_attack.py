"""The attack: from everything a table publishes, no hidden count can be narrowed below 5."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from crisis_ops.reports.suppression import THRESHOLD, extended_table, suppress


def _intervals(cells, hidden):
    """LP bounds [low, high] of every hidden cell (interior or margin), given the rest."""
    rows, cols = len(cells), len(cells[0])
    table = extended_table(cells)
    interior = [(r, c) for r in range(rows) for c in range(cols)]
    index = {p: k for k, p in enumerate(interior)}
    a_eq, b_eq = [], []
    # Every published cell, interior or margin, is a linear equation on the interior.
    for r in range(rows + 1):
        for c in range(cols + 1):
            if (r, c) in hidden:
                continue
            row = np.zeros(len(interior))
            members = [
                (i, j)
                for i in (range(rows) if r == rows else [r])
                for j in (range(cols) if c == cols else [c])
            ]
            for m in members:
                row[index[m]] = 1
            a_eq.append(row)
            b_eq.append(table[r][c])
    result = {}
    for r, c in hidden:
        objective = np.zeros(len(interior))
        members = [
            (i, j)
            for i in (range(rows) if r == rows else [r])
            for j in (range(cols) if c == cols else [c])
        ]
        for m in members:
            objective[index[m]] = 1
        bounds = []
        for sign in (1, -1):
            res = linprog(
                sign * objective,
                A_eq=np.array(a_eq) if a_eq else None,
                b_eq=np.array(b_eq) if b_eq else None,
                bounds=[(0, None)] * len(interior),
                method="highs",
            )
            bounds.append(sign * res.fun if res.status == 0 else (np.inf if sign < 0 else 0))
        result[(r, c)] = (bounds[0], bounds[1])
    return result


small_counts = st.one_of(st.integers(0, 6), st.integers(0, 40))
tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(small_counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_narrowed_below_the_threshold(cells):
    pattern = suppress(cells)
    for pos, (low, high) in _intervals(cells, pattern.hidden).items():
        assert high - low >= THRESHOLD - 1e-6, (cells, sorted(pattern.hidden), pos, low, high)


@settings(max_examples=80, deadline=None)
@given(tables)
def test_every_count_under_five_is_hidden(cells):
    pattern = suppress(cells)
    table = extended_table(cells)
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if 0 < value < THRESHOLD:
                assert (r, c) in pattern.hidden


@settings(max_examples=60, deadline=None)
@given(tables)
def test_the_same_table_always_gets_the_same_pattern(cells):
    assert suppress(cells) == suppress([list(row) for row in cells])


@settings(max_examples=60, deadline=None)
@given(tables, st.data())
def test_a_pattern_published_before_is_kept_and_still_safe(cells, data):
    rows, cols = len(cells), len(cells[0])
    forced = data.draw(st.sets(st.tuples(st.integers(0, rows), st.integers(0, cols)), max_size=3))
    pattern = suppress(cells, forced=forced)
    assert set(forced) <= pattern.hidden
    for pos, (low, high) in _intervals(cells, pattern.hidden).items():
        assert high - low >= THRESHOLD - 1e-6, (cells, pos)


def test_a_bridge_between_two_hidden_cycles_is_not_left_exact():
    # The "two per line" rule alone would accept a pattern where a cell is a bridge.
    cells = [[1, 1, 20, 20], [1, 1, 20, 20], [20, 20, 1, 1], [20, 20, 1, 1]]
    pattern = suppress(cells)
    for pos, (low, high) in _intervals(cells, pattern.hidden).items():
        assert high - low >= THRESHOLD, pos
