"""Each month of a by-month report against the 3 months before and the same month a year
before. Only published values are compared: a hidden month is never compared, and a mean
is given only when all three months are published."""

from __future__ import annotations

import dataclasses
from collections import Counter

from django.utils.translation import gettext as _

from crisis_ops.reports import patterns
from crisis_ops.reports.counting import count
from crisis_ops.reports.definition import Definition, add_months, month_end
from crisis_ops.reports.formatting import number
from crisis_ops.reports.registry import Figure, Scope
from crisis_ops.reports.result import Axis, BaselineEntry, PublishedReport
from crisis_ops.reports.suppression import THRESHOLD, suppress


def _published_series(report: PublishedReport) -> dict[str, float | int | None]:
    cells = report.row_totals if report.columns else tuple(row[0] for row in report.cells)
    return {k: c.value for k, c in zip(report.rows.keys, cells, strict=True)}


def _earlier_months(
    figure: Figure,
    definition: Definition,
    scope: Scope,
    org_ids: list[str],
    earlier_counts: Counter[tuple[str, ...]] | None = None,
) -> dict[str, float | int | None]:
    """The 12 months before the period, each published alone: <5 hidden, and hidden if
    any earlier report hid it. ``earlier_counts``: already counted with the period."""
    if figure.is_rate:
        return {}
    from crisis_ops.reports.engine import scope_key

    start = add_months(definition.start, -12)
    earlier = Scope(scope.organisation_ids, start, month_end(add_months(definition.start, -1)))
    counts = (
        earlier_counts
        if earlier_counts is not None
        else count(figure, earlier, ("month",), definition.filters)
    )
    keys = [add_months(start, i).strftime("%Y-%m") for i in range(12)]
    axis = Axis("month", "", tuple(keys), tuple(keys))
    cells = patterns.cell_keys(axis, None, (keys[0], keys[-1]))
    key = scope_key(figure, definition, org_ids)
    forced, _avoid = patterns.known(figure.key, key, cells)
    values = [counts.get((k,), 0) for k in keys]
    hidden = {r for r, v in enumerate(values) if (0 < v < THRESHOLD and figure.personal)} | {
        r for r, _c in forced if r < len(keys)
    }
    # Published one by one with no total: primary suppression is all there is to add.
    pattern = suppress([[v] for v in values], forced=[(r, 0) for r in hidden])
    only_cells = dataclasses.replace(
        pattern, hidden=frozenset(p for p in pattern.hidden if p[0] < len(keys))
    )
    rows = {pos: k for pos, k in cells.items() if pos[0] < len(keys)}
    patterns.remember(figure.key, key, rows, only_cells, None)
    return {k: (None if (r, 0) in only_cells.hidden else values[r]) for r, k in enumerate(keys)}


def _change(value: float, base: float) -> tuple[float, float | None]:
    diff = value - base
    return diff, (round(100 * diff / base, 1) if base else None)


def baseline_for(
    report: PublishedReport,
    *,
    figure: Figure,
    definition: Definition,
    scope: Scope,
    org_ids: list[str],
    earlier_counts: Counter[tuple[str, ...]] | None = None,
) -> PublishedReport:
    if report.rows.dimension != "month" or not report.has_data:
        return report
    earlier = _earlier_months(figure, definition, scope, org_ids, earlier_counts)
    series = {**earlier, **_published_series(report)}
    months = list(series)
    entries = []
    for key in report.rows.keys:
        i = months.index(key)
        value = series[key]
        before = [series.get(m) for m in months[max(0, i - 3) : i]]
        mean = (
            round(sum(v for v in before if v is not None) / 3, 1)
            if len(before) == 3 and all(v is not None for v in before)
            else None
        )
        year_key = f"{int(key[:4]) - 1:04d}{key[4:]}"
        year_ago = series.get(year_key)
        p3 = _change(value, mean) if value is not None and mean is not None else (None, None)
        ya = (
            _change(value, year_ago) if value is not None and year_ago is not None else (None, None)
        )
        direction = (
            "" if p3[0] is None else ("up" if p3[0] > 0 else "down" if p3[0] < 0 else "same")
        )
        entries.append(
            BaselineEntry(
                month=key,
                value=value,
                previous_3_mean=mean,
                previous_3_change=p3[0],
                previous_3_change_pct=p3[1],
                year_ago=year_ago,
                year_ago_change=ya[0],
                year_ago_change_pct=ya[1],
                direction=direction,
                words=_words(direction, p3[1], mean, report.language),
            )
        )
    return dataclasses.replace(report, baseline=tuple(entries))


def _words(direction: str, pct: float | None, mean: float | None, language: str) -> str:
    if not direction or mean is None:
        return _("Not comparable: a month of the comparison is hidden or missing.")
    values = {"mean": number(mean, language)}
    if direction == "same":
        return _("The same as the average of the three months before (%(mean)s).") % values
    if pct is None:
        return ""
    values["pct"] = number(abs(pct), language)
    if direction == "up":
        return _("%(pct)s %% more than the average of the three months before (%(mean)s).") % values
    return _("%(pct)s %% fewer than the average of the three months before (%(mean)s).") % values
