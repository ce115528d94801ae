"""Stand-in for ``crisis_ops.reports.result`` until the reports core lands: the same shape.

Only ``table.py`` reads it; the renderers see the neutral ``ExportTable``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PublishedCell:
    value: int | None  # None when suppressed
    display: str  # "12", or "<5" for every suppressed cell


@dataclass(frozen=True)
class BaselineLine:
    label: str
    value: PublishedCell
    previous_mean: str  # mean of the previous 3 months, "" when not comparable
    change: str  # "+25 %", "" when not comparable
    year_before: str
    wording: str


@dataclass(frozen=True)
class PublishedReport:
    figure: str
    figure_label: str
    period_start: datetime.date
    period_end: datetime.date
    period_label: str
    row_dimension: str
    row_dimension_label: str
    row_labels: tuple[str, ...]
    column_dimension: str | None
    column_dimension_label: str
    column_labels: tuple[str, ...]
    cells: tuple[tuple[PublishedCell, ...], ...]
    row_totals: tuple[PublishedCell, ...]
    column_totals: tuple[PublishedCell, ...]
    grand_total: PublishedCell
    excluded_for_consent: int
    paragraph: str
    language: str
    baseline: tuple[BaselineLine, ...] = field(default=())
