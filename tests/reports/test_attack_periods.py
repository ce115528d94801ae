"""Suppression across overlapping periods: a month published in one report keeps its
pattern in the next, and the two reports together still let nobody narrow a hidden
count below 5 (the attack of test_attack.py over both reports as one system)."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from crisis_ops.reports import patterns
from crisis_ops.reports.result import Axis
from crisis_ops.reports.suppression import THRESHOLD, extended_table

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04")


def _publish(true, first, length, store):
    """One report on months first..first+length-1 of ``true`` (months x regions), with
    its pattern kept and reused as the engine does (cell keys, forced and avoided)."""
    rows = list(range(first, first + length))
    cols = len(true[0])
    cells = [list(true[m]) for m in rows]
    axis_rows = Axis("month", "", tuple(MONTHS[m] for m in rows), ())
    axis_cols = Axis("region", "", tuple(f"r{c}" for c in range(cols)), ())
    period = (MONTHS[rows[0]], MONTHS[rows[-1]])
    keys = patterns.cell_keys(axis_rows, axis_cols, period)
    pattern = patterns.suppress_linked(
        cells, rows=axis_rows, columns=axis_cols, period=period, stored=store
    )
    for pos, key in keys.items():
        store.setdefault(key, pattern.is_hidden(pos))
    table = extended_table(cells)
    # (the (month, region) cells it adds up, its value) for every shown and hidden cell
    published: list[tuple[frozenset[tuple[int, int]], int]] = []
    hidden: list[tuple[frozenset[tuple[int, int]], int]] = []
    for r in range(length + 1):
        for c in range(cols + 1):
            members = frozenset(
                (m, j)
                for m in (rows if r == length else [rows[r]])
                for j in (range(cols) if c == cols else [c])
            )
            (hidden if pattern.is_hidden((r, c)) else published).append((members, table[r][c]))
    return pattern, keys, published, hidden


def _interval(true, equations, members):
    cols = len(true[0])
    variables = [(m, c) for m in range(len(true)) for c in range(cols)]
    index = {v: k for k, v in enumerate(variables)}
    a_eq = []
    for cells, _value in equations:
        row = np.zeros(len(variables))
        for v in cells:
            row[index[v]] = 1
        a_eq.append(row)
    b_eq = [value for _cells, value in equations]
    objective = np.zeros(len(variables))
    for v in members:
        objective[index[v]] = 1
    bounds = []
    for sign in (1, -1):
        res = linprog(
            sign * objective,
            A_eq=np.array(a_eq) if a_eq else None,
            b_eq=np.array(b_eq) if b_eq else None,
            bounds=[(0, None)] * len(variables),
            method="highs",
        )
        assert res.status in (0, 3)
        bounds.append(sign * res.fun if res.status == 0 else np.inf)
    return bounds[0], bounds[1]


small = st.one_of(st.integers(0, 6), st.integers(0, 30))
month_tables = st.integers(1, 4).flatmap(
    lambda cols: st.lists(st.lists(small, min_size=cols, max_size=cols), min_size=4, max_size=4)
)


@settings(max_examples=120, deadline=None)
@given(month_tables)
def test_next_months_report_keeps_the_published_months_pattern(true):
    store: dict[str, bool] = {}
    first, keys1, _pub1, _hid1 = _publish(true, 0, 3, store)  # January to March
    second, keys2, _pub2, _hid2 = _publish(true, 1, 3, store)  # February to April
    by_key = {key: first.is_hidden(pos) for pos, key in keys1.items()}
    for pos, key in keys2.items():
        if key in by_key:  # February and March: their cells and month totals
            assert second.is_hidden(pos) == by_key[key], (true, key)


@settings(max_examples=120, deadline=None)
@given(month_tables)
def test_both_reports_together_narrow_no_hidden_count_below_five(true):
    store: dict[str, bool] = {}
    _p1, _k1, published1, hidden1 = _publish(true, 0, 3, store)
    _p2, _k2, published2, hidden2 = _publish(true, 1, 3, store)
    everything = published1 + published2  # cells, totals of both periods
    shown = {cells for cells, _v in everything}
    for members, value in hidden1 + hidden2:
        if members in shown:
            continue  # hidden in one report, shown as the same cell in the other: never
        if len(members) > 1 and value >= THRESHOLD:
            # A total of five or more hidden beside others: the other report's totals may
            # give it away exactly, which narrows no small count (those are checked).
            continue
        low, high = _interval(true, everything, members)
        assert low <= value <= high
        assert high - low >= THRESHOLD - 1e-6, (true, sorted(members), low, high)


# --- the same through the engine and the stored patterns ---------------------------------


@pytest.mark.django_db
def test_a_published_month_keeps_its_pattern_when_next_months_report_is_run(personas):
    from crisis_ops.organisations.models import Organisation
    from crisis_ops.reports.definition import parse_definition
    from crisis_ops.reports.engine import run_report
    from tests.cases.factories import intake

    def incidents(actor, center, day, n):
        for _ in range(n):
            intake(actor, center, incident={"occurred_on": day})

    a, b = personas.center, personas.other_center
    d = datetime.date
    # January: A 9, B 2 (hidden, and so is A's 9 beside it). February: A 7, B 8.
    incidents(personas.caseworker, a, d(2026, 1, 10), 9)
    incidents(personas.caseworker_other_center, b, d(2026, 1, 11), 2)
    incidents(personas.caseworker, a, d(2026, 2, 10), 7)
    incidents(personas.caseworker_other_center, b, d(2026, 2, 11), 8)
    orgs = list(Organisation.objects.select_related("region"))
    visible = {str(o.pk) for o in orgs}

    def report(start, end):
        data = {"figure": "incidents", "start": start, "end": end, "breakdowns": ["month"]}
        definition = parse_definition(data, visible_organisation_ids=visible)
        return run_report(definition, organisations=orgs)

    with time_machine.travel("2026-02-15 10:00 +05:00", tick=False):
        january = report("2026-01", "2026-01")
    # Alone, January's 11 would be shown; but the grand total of the network hides nothing.
    with time_machine.travel("2026-03-05 10:00 +05:00", tick=False):
        both = report("2026-01", "2026-02")
    jan_first = january.cells[0][0]
    jan_again = dict(zip(both.rows.keys, both.cells, strict=True))["2026-01"][0]
    assert jan_again.suppressed == jan_first.suppressed
    assert jan_again.display == jan_first.display
    # Hand count: 11 in January, 15 in February, 26 in all.
    assert not jan_first.suppressed and jan_first.value == 11
    assert both.grand_total.value == 26
