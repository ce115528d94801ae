"""Compute a report: count in SQL, suppress once, then build the PublishedReport.

Nothing after ``_publish_table`` sees a raw count: the baseline and the paragraph read
the published cells only.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone, translation

from crisis_ops.organisations.models import Organisation
from crisis_ops.reports import patterns
from crisis_ops.reports.counting import count
from crisis_ops.reports.definition import Definition, add_months
from crisis_ops.reports.formatting import number
from crisis_ops.reports.members import dimension_label, members
from crisis_ops.reports.registry import Figure, Scope, figure_excluded, figure_get
from crisis_ops.reports.result import (
    SUPPRESSED_COMPLEMENTARY,
    SUPPRESSED_PRIMARY,
    Axis,
    Cell,
    PublishedReport,
)
from crisis_ops.reports.suppression import Pattern, extended_table


@dataclass(frozen=True)
class Grid:
    """An extended table (margins included) and which of its cells are hidden."""

    table: list[list[int]]
    pattern: Pattern | None  # None: nothing personal, nothing hidden

    def hidden(self, r: int, c: int) -> bool:
        return self.pattern is not None and (r, c) in self.pattern.hidden

    def primary(self, r: int, c: int) -> bool:
        return self.pattern is not None and (r, c) in self.pattern.primary


def scope_key(figure: Figure, definition: Definition, organisation_ids: list[str]) -> str:
    text = json.dumps([figure.key, sorted(organisation_ids), definition.to_json()["filters"]])
    return hashlib.sha256(text.encode()).hexdigest()[:64]


def run_report(
    definition: Definition, *, organisations: list[Organisation], run_id: object = None
) -> PublishedReport:
    language = definition.language
    with translation.override(language), transaction.atomic():
        if connection.vendor == "postgresql":
            # A report hashes the cases and consents in scope: room to do it in memory
            # (the default 4 MB spills them to disk at a million incidents), and no JIT,
            # whose compiling cost about 0.2 s a query and saved nothing at that size.
            # For this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '32MB'")
                cursor.execute("SET LOCAL jit = off")
        return _run(definition, organisations, run_id, language)


def _run(
    definition: Definition, organisations: list[Organisation], run_id: object, language: str
) -> PublishedReport:
    figure = definition.figure
    org_ids = [str(o.pk) for o in organisations]
    scope = Scope(tuple(org_ids), definition.start, definition.end)
    dims = definition.breakdowns
    axes = []
    counts, earlier = _counts_and_year_before(figure, scope, dims, definition.filters)
    denominator = figure_get(figure.denominator or "") if figure.is_rate else None
    assert denominator is not None or not figure.is_rate
    # A rate's members and its data are those of its denominator (checks due, beds...).
    d_counts = count(denominator, scope, dims, definition.filters) if denominator else None
    for i, dim in enumerate(dims):
        found = {key[i] for key in counts} | {key[i] for key in d_counts or ()}
        pairs = members(
            figure,
            dim,
            start=definition.start,
            end=definition.end,
            organisations=organisations,
            seen=found,
        )
        axes.append(Axis(dim, dimension_label(figure, dim), *_unzip(pairs)))
    rows, columns = axes[0], (axes[1] if len(axes) > 1 else None)
    if not rows.keys or (columns is not None and not columns.keys):
        # Nothing to break down by (e.g. no partner kinds yet): one empty row says so.
        rows = Axis(rows.dimension, rows.label, ("",), ("—",))
        if columns is not None:
            columns = Axis(columns.dimension, columns.label, ("",), ("—",))
    period = (definition.start.strftime("%Y-%m"), definition.end.strftime("%Y-%m"))
    grid = _grid(figure, definition, org_ids, counts, rows, columns, period, run_id)
    if denominator is not None and d_counts is not None:
        d_grid = _grid(denominator, definition, org_ids, d_counts, rows, columns, period, run_id)
        cells = _rate_cells(grid, d_grid, language, figure)
    else:
        cells = _count_cells(grid, language)
    n_rows, n_cols = len(rows.keys), len(columns.keys) if columns else 1
    excluded = figure_excluded(figure, scope)
    from crisis_ops.reports.baseline import baseline_for
    from crisis_ops.reports.paragraph import paragraph_for

    report = PublishedReport(
        figure_key=figure.key,
        figure_label=str(figure.label),
        unit=figure.unit,
        period_start=period[0],
        period_end=period[1],
        granularity=dims[0] if dims[0] in ("month", "quarter", "year") else "month",
        rows=rows,
        columns=columns,
        cells=tuple(tuple(cells[r][c] for c in range(n_cols)) for r in range(n_rows)),
        row_totals=tuple(cells[r][n_cols] for r in range(n_rows)) if columns else (),
        column_totals=tuple(cells[n_rows][c] for c in range(n_cols)) if columns else (),
        grand_total=cells[n_rows][n_cols],
        excluded_for_consent=excluded,
        baseline=(),
        paragraph="",
        language=language,
        generated_at=timezone.localdate().strftime("%Y-%m"),
        has_data=sum((d_counts if d_counts is not None else counts).values()) > 0,
        filters=_filter_labels(figure, definition, organisations),
    )
    report = baseline_for(
        report,
        figure=figure,
        definition=definition,
        scope=scope,
        org_ids=org_ids,
        earlier_counts=earlier,
    )
    return paragraph_for(report, organisations=organisations, definition=definition)


def _counts_and_year_before(
    figure: Figure,
    scope: Scope,
    dims: tuple[str, ...],
    filters: dict[str, tuple[str, ...]],
) -> tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]] | None]:
    """The period's counts and, in the same GROUP BY, the 12 months before by month.

    The baseline of a by-month report needs each earlier month's total; when the other
    breakdown gives each row one member only (a region, a sex: not a list of violence
    types, not survivors counted once across organisations), that total is the sum of
    the earlier months' cells, so one query over 24 months serves both.
    """
    second = dims[1] if len(dims) > 1 else None
    foldable = (
        dims[0] == "month"
        and not figure.is_rate
        and figure.distinct_path is None
        and (
            second is None or second not in figure.dimensions or not figure.dimensions[second].multi
        )
    )
    if not foldable:
        return count(figure, scope, dims, filters), None
    first = scope.start.strftime("%Y-%m")
    wide = Scope(scope.organisation_ids, add_months(scope.start, -12), scope.end)
    counts: Counter[tuple[str, ...]] = Counter()
    earlier: Counter[tuple[str, ...]] = Counter()
    for key, n in count(figure, wide, dims, filters).items():
        if key[0] >= first:
            counts[key] += n
        else:
            earlier[key[:1]] += n
    return counts, earlier


def _unzip(pairs: list[tuple[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(k for k, _l in pairs), tuple(label for _k, label in pairs)


def _grid(
    figure: Figure,
    definition: Definition,
    org_ids: list[str],
    counts: Counter[tuple[str, ...]],
    rows: Axis,
    columns: Axis | None,
    period: tuple[str, str],
    run_id: object,
) -> Grid:
    col_keys = columns.keys if columns else ("",)
    interior = [
        [counts.get((r,) if columns is None else (r, c), 0) for c in col_keys] for r in rows.keys
    ]
    table = extended_table(interior)
    if not figure.personal:
        return Grid(table, None)
    keys = patterns.cell_keys(rows, columns, period)
    key = scope_key(figure, definition, org_ids)
    pattern = patterns.suppress_linked(
        interior,
        rows=rows,
        columns=columns,
        period=period,
        stored=patterns.stored_for(figure.key, key),
    )
    patterns.remember(figure.key, key, keys, pattern, run_id)
    return Grid(table, pattern)


def _count_cells(grid: Grid, language: str) -> list[list[Cell]]:
    out = []
    for r, row in enumerate(grid.table):
        line = []
        for c, value in enumerate(row):
            if grid.hidden(r, c):
                symbol = SUPPRESSED_PRIMARY if grid.primary(r, c) else SUPPRESSED_COMPLEMENTARY
                line.append(Cell(None, symbol, True))
            else:
                line.append(Cell(value, number(value, language)))
        out.append(line)
    return out


def _rate_cells(grid: Grid, d_grid: Grid, language: str, figure: Figure) -> list[list[Cell]]:
    """A rate is hidden when its numerator or its denominator is hidden."""
    out = []
    for r, row in enumerate(grid.table):
        line = []
        for c, value in enumerate(row):
            denominator = d_grid.table[r][c]
            if grid.hidden(r, c) or d_grid.hidden(r, c):
                line.append(Cell(None, SUPPRESSED_COMPLEMENTARY, True))
            elif denominator == 0:
                line.append(Cell(None, "", False))
            else:
                rate = round(figure.scale * value / denominator, figure.decimals)
                line.append(Cell(rate, number(rate, language, figure.decimals)))
        out.append(line)
    return out


def _filter_labels(
    figure: Figure, definition: Definition, organisations: list[Organisation]
) -> dict[str, tuple[str, ...]]:
    labels: dict[str, tuple[str, ...]] = {}
    for dim, chosen in definition.filters.items():
        pairs = dict(
            members(
                figure,
                dim,
                start=definition.start,
                end=definition.end,
                organisations=organisations,
                seen=chosen,
            )
        )
        labels[dimension_label(figure, dim)] = tuple(pairs.get(k, k) for k in chosen)
    return labels
