"""Published suppression patterns: a cell hidden once stays hidden in later reports."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from crisis_ops.reports.models import PublishedCell
from crisis_ops.reports.result import Axis
from crisis_ops.reports.suppression import Pattern, Pos

TIME = ("month", "quarter", "year")


def cell_keys(rows: Axis, columns: Axis | None, period: tuple[str, str]) -> dict[Pos, str]:
    """A name for every cell (margins too) that is the same in any report shape.

    "month=2026-03" is March's total whether it is a one-way table's cell or the row
    total of a month x region table; a cell with no time member carries the period.
    """
    row_members = [*[(rows.dimension, k) for k in rows.keys], None]
    col_members = [*[(columns.dimension, k) for k in columns.keys], None] if columns else [None]
    if columns is None:
        col_members = [None, None]
    keys: dict[Pos, str] = {}
    for r, row in enumerate(row_members):
        for c, col in enumerate(col_members):
            parts = sorted(f"{d}={k}" for d, k in (m for m in (row, col) if m))
            if not any(p.split("=")[0] in TIME for p in parts):
                parts.insert(0, f"period={period[0]}..{period[1]}")
            keys[(r, c)] = "|".join(parts)
    return keys


def known(figure: str, scope_key: str, keys: dict[Pos, str]) -> tuple[set[Pos], set[Pos]]:
    """(cells hidden before, cells published before) among ``keys``."""
    by_key = {key: pos for pos, key in keys.items()}
    forced: set[Pos] = set()
    avoid: set[Pos] = set()
    stored = PublishedCell.objects.filter(
        figure=figure, scope_key=scope_key, cell_key__in=list(by_key)
    ).values_list("cell_key", "hidden")
    for key, hidden in stored:
        for pos, k in keys.items():
            if k == key:
                (forced if hidden else avoid).add(pos)
    return forced, avoid


def remember(
    figure: str, scope_key: str, keys: dict[Pos, str], pattern: Pattern, run_id: Any
) -> None:
    """Store the pattern of cells shown for the first time; earlier ones stay as they were."""
    seen: dict[str, bool] = {}
    for pos, key in keys.items():
        seen[key] = seen.get(key, False) or pattern.is_hidden(pos)
    rows = [
        PublishedCell(figure=figure, scope_key=scope_key, cell_key=k, hidden=h, first_run_id=run_id)
        for k, h in seen.items()
    ]
    try:
        with transaction.atomic():
            PublishedCell.objects.bulk_create(rows, ignore_conflicts=True)
    except IntegrityError:  # pragma: no cover - a run deleted meanwhile
        pass


# --- reports of overlapping periods ---------------------------------------------------
#
# Two by-month reports of overlapping periods (January-March, then February-April) both
# publish a period total per column. Their difference is April minus January: with the
# shared months hidden alike in both, a lone hidden cell among the months only one of
# them covers would come out exact (the attack in tests/reports/test_attack_periods.py).
# So a column's period total is hidden whenever that column hides a cell in a month
# that an earlier overlapping report covered and this one does not, or in a month this
# one covers and no earlier one did; suppression then protects that total like any cell.


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def earlier_periods(stored: dict[str, bool], period: tuple[str, str]) -> list[tuple[str, str]]:
    """Other periods of reports already published that overlap ``period``."""
    found = set()
    for key in stored:
        head = key.split("|", 1)[0]
        if head.startswith("period=") and ".." in head:
            first, last = head[len("period=") :].split("..", 1)
            if first <= period[1] and last >= period[0] and (first, last) != period:
                found.add((first, last))
    return sorted(found)


def stored_for(figure: str, scope_key: str) -> dict[str, bool]:
    """Every cell of the figure and scope published so far: key -> hidden."""
    return dict(
        PublishedCell.objects.filter(figure=figure, scope_key=scope_key).values_list(
            "cell_key", "hidden"
        )
    )


def suppress_linked(
    cells: list[list[int]],
    *,
    rows: Axis,
    columns: Axis | None,
    period: tuple[str, str],
    stored: dict[str, bool],
) -> Pattern:
    """``suppress`` with the earlier pattern kept, and safe beside earlier overlapping
    reports of the same figure (see above). ``stored``: what ``stored_for`` gives."""
    from crisis_ops.reports.suppression import suppress

    keys = cell_keys(rows, columns, period)
    forced = {pos for pos, key in keys.items() if stored.get(key) is True}
    avoid = {pos for pos, key in keys.items() if stored.get(key) is False}
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    others = earlier_periods(stored, period) if rows.dimension == "month" else []
    if not others or n_cols == 0:
        return suppress(cells, forced=forced, avoid=avoid)
    mine = set(_months(*period))
    before = {m for first, last in others for m in _months(first, last)}
    dropped, new = sorted(before - mine), {i for i, m in enumerate(rows.keys) if m not in before}
    col_members: list[tuple[str, str] | None] = (
        [(columns.dimension, k) for k in columns.keys] if columns else [None]
    )

    def key_of(month: str, member: tuple[str, str] | None) -> str:
        parts = [f"month={month}"] + ([f"{member[0]}={member[1]}"] if member else [])
        return "|".join(sorted(parts))

    # Columns (index n_cols: the month totals) hiding a cell in a month only the earlier
    # reports covered: known from what they published.
    risky = {
        c
        for c, member in [*enumerate(col_members), (n_cols, None)]
        if any(stored.get(key_of(m, member)) is True for m in dropped)
    }
    while True:
        # The other columns' period totals follow from the earlier report's and the
        # months published in both: hiding them would hide nothing.
        safe = {(n_rows, c) for c in range(n_cols + 1) if c not in risky}
        pattern = suppress(cells, forced=forced, avoid=avoid | safe)
        risky |= {c for r, c in pattern.hidden if r in new}
        totals = {(n_rows, c) for c in risky}
        if n_cols == 1 and totals:  # a one-way table: its total is in both columns
            totals |= {(n_rows, 0), (n_rows, 1)}
        if totals <= pattern.hidden:
            return pattern
        forced |= totals
