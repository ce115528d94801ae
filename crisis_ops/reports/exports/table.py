"""A published report as one neutral table: what every renderer draws, and nothing more.

This is the only module that knows the shape of ``PublishedReport``. Its strings are
translated in the report's language, whatever the language of whoever renders it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from crisis_ops.reports.result import BaselineEntry, PublishedReport
from crisis_ops.reports.result import Cell as PublishedCell

TIME_DIMENSIONS = frozenset({"month", "quarter", "year"})
SUPPRESSED = "<5"


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[PublishedCell, ...]
    total: PublishedCell | None  # None when the table has one column only


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | int | None, ...]  # None where suppressed: drawn as a gap, never as 0


@dataclass(frozen=True)
class ExportTable:
    language: str
    title: str
    period: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    totals: Row
    notes: tuple[str, ...]
    paragraph: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    over_time: bool  # rows are months/quarters/years: a line chart reads best
    baseline_header: tuple[str, ...]
    baseline: tuple[tuple[str, ...], ...]

    @property
    def width(self) -> int:
        return len(self.header)

    def body_lines(self) -> list[list[str]]:
        """Every line of the table as displayed text: header, rows, totals."""
        lines = [list(self.header)]
        for row in (*self.rows, self.totals):
            lines.append([row.label, *(c.display for c in row.cells)])
            if row.total is not None:
                lines[-1].append(row.total.display)
        return lines


def export_table(report: PublishedReport) -> ExportTable:
    with translation.override(report.language):
        return _build(report)


def month_label(month: str) -> str:
    """ "2026-03" as "March 2026" in the active language."""
    year, number = (int(part) for part in month.split("-"))
    return date_format(datetime.date(year, number, 1), "F Y")


def period_label(report: PublishedReport) -> str:
    start, end = month_label(report.period_start), month_label(report.period_end)
    return start if start == end else f"{start} – {end}"


def _build(report: PublishedReport) -> ExportTable:
    total = pgettext("report export", "Total")
    rows_axis, columns_axis = report.rows, report.columns
    if columns_axis is not None:
        header = (rows_axis.label, *columns_axis.labels, total)
        rows = tuple(
            Row(label, cells, row_total)
            for label, cells, row_total in zip(
                rows_axis.labels, report.cells, report.row_totals, strict=True
            )
        )
        totals = Row(total, report.column_totals, report.grand_total)
        series = tuple(
            Series(name, tuple(row[i].value for row in report.cells))
            for i, name in enumerate(columns_axis.labels)
        )
    else:
        header = (rows_axis.label, report.figure_label)
        rows = tuple(
            Row(label, cells, None)
            for label, cells in zip(rows_axis.labels, report.cells, strict=True)
        )
        totals = Row(total, (report.grand_total,), None)
        series = (Series(report.figure_label, tuple(row[0].value for row in report.cells)),)
    return ExportTable(
        language=report.language,
        title=report.figure_label,
        period=period_label(report),
        header=header,
        rows=rows,
        totals=totals,
        notes=_notes(report),
        paragraph=report.paragraph,
        categories=rows_axis.labels,
        series=series,
        over_time=rows_axis.dimension in TIME_DIMENSIONS,
        baseline_header=(
            _("Month"),
            report.figure_label,
            _("Mean of the 3 months before"),
            pgettext("report export", "Change"),
            _("Same month a year before"),
            pgettext("report export", "Change"),
            pgettext("report export", "In words"),
        )
        if report.baseline
        else (),
        baseline=tuple(_baseline_line(entry) for entry in report.baseline),
    )


def _number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return ""
    return number_format(value, decimal_pos=digits if value != int(value) else 0)


def _change(value: float | None, pct: float | None) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ""
    text = f"{sign}{_number(value, 1)}"
    return f"{text} ({sign}{_number(pct, 0)} %)" if pct is not None else text


def _baseline_line(entry: BaselineEntry) -> tuple[str, ...]:
    """Suppressed months come as None from the core: shown empty, never compared."""
    return (
        month_label(entry.month),
        _number(entry.value) or SUPPRESSED,
        _number(entry.previous_3_mean, 1),
        _change(entry.previous_3_change, entry.previous_3_change_pct),
        _number(entry.year_ago),
        _change(entry.year_ago_change, entry.year_ago_change_pct),
        entry.words,
    )


def _notes(report: PublishedReport) -> tuple[str, ...]:
    notes = []
    if not report.has_data:
        notes.append(_("There is no data for this period: the report shows no figures as facts."))
    notes.append(
        _(
            "Counts below 5 are shown as “<5”, and some further cells are hidden (“—”), "
            "so that no small count can be worked out from the totals."
        )
    )
    for dimension, labels in report.filters.items():
        notes.append(f"{_('Filter')}: {dimension} — {', '.join(labels)}")
    notes.extend(report.notes)
    if report.excluded_for_consent:
        notes.append(
            ngettext(
                "%(count)s case was left out: her consent does not cover statistics.",
                "%(count)s cases were left out: their consent does not cover statistics.",
                report.excluded_for_consent,
            )
            % {"count": report.excluded_for_consent}
        )
    return tuple(notes)
