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
