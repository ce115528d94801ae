"""A copy of i14's ``crisis_ops/reports/result.py`` (its branch, 1fa104f) until it lands on main;
then ``table.py`` imports that and this file goes.

The one shape a finished report is published in, after suppression.

Everything that renders a report (page, chart, API, CSV, XLSX, PDF) reads a
``PublishedReport`` and nothing else, so no renderer can see an unsuppressed count.
Values are already suppressed: a suppressed cell has ``value=None`` and
``display="<5"`` (primary) or ``display="—"`` (complementary); ``suppressed`` is set
on both. Months are ``"YYYY-MM"`` strings: nothing in a report is finer than a month.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SUPPRESSED_PRIMARY = "<5"
SUPPRESSED_COMPLEMENTARY = "—"


@dataclass(frozen=True)
class Cell:
    """One published number. ``value`` is None when suppressed (or not applicable)."""

    value: float | int | None
    display: str
    suppressed: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cell:
        return cls(value=data["value"], display=data["display"], suppressed=data["suppressed"])


@dataclass(frozen=True)
class Axis:
    """A breakdown: its dimension key and label, and its members (keys and labels)."""

    dimension: str
    label: str
    keys: tuple[str, ...]
    labels: tuple[str, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Axis:
        return cls(
            dimension=data["dimension"],
            label=data["label"],
            keys=tuple(data["keys"]),
            labels=tuple(data["labels"]),
        )


@dataclass(frozen=True)
class BaselineEntry:
    """One month of a by-month figure against its baselines; None where not comparable."""

    month: str
    value: float | int | None
    previous_3_mean: float | None
    previous_3_change: float | None
    previous_3_change_pct: float | None
    year_ago: float | int | None
    year_ago_change: float | None
    year_ago_change_pct: float | None
    direction: str  # "up", "down", "same" or "" (not comparable)
    words: str  # the comparison said in the report's language

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BaselineEntry:
        return cls(**data)


@dataclass(frozen=True)
class PublishedReport:
    figure_key: str
    figure_label: str
    unit: str  # "count", "rate", "percent", "ratio", "days"
    period_start: str  # "YYYY-MM"
    period_end: str  # "YYYY-MM"
    granularity: str  # "month", "quarter", "year" (the period's own step)
    rows: Axis
    columns: Axis | None
    # cells[r][c]; with no column dimension each row holds exactly one cell.
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]  # empty when there is no column dimension
    grand_total: Cell
    excluded_for_consent: int
    baseline: tuple[BaselineEntry, ...]
    paragraph: str
    language: str
    generated_at: str  # "YYYY-MM"
    has_data: bool = True
    # Applied filters: dimension -> labels of the chosen members (organisations by name).
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["filters"] = {k: list(v) for k, v in self.filters.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PublishedReport:
        columns = data.get("columns")
        return cls(
            figure_key=data["figure_key"],
            figure_label=data["figure_label"],
            unit=data["unit"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            granularity=data["granularity"],
            rows=Axis.from_dict(data["rows"]),
            columns=Axis.from_dict(columns) if columns else None,
            cells=tuple(tuple(Cell.from_dict(c) for c in row) for row in data["cells"]),
            row_totals=tuple(Cell.from_dict(c) for c in data["row_totals"]),
            column_totals=tuple(Cell.from_dict(c) for c in data["column_totals"]),
            grand_total=Cell.from_dict(data["grand_total"]),
            excluded_for_consent=data["excluded_for_consent"],
            baseline=tuple(BaselineEntry.from_dict(b) for b in data["baseline"]),
            paragraph=data["paragraph"],
            language=data["language"],
            generated_at=data["generated_at"],
            has_data=data.get("has_data", True),
            filters={k: tuple(v) for k, v in data.get("filters", {}).items()},
            notes=tuple(data.get("notes", ())),
        )
