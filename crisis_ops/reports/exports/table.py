"""A published report as one neutral table: what every renderer draws, and nothing more.

This is the only module that knows the shape of ``PublishedReport``. Its strings are
translated in the report's language, whatever the language of whoever renders it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from crisis_ops.reports.exports.standin import PublishedCell, PublishedReport

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
    values: tuple[int | None, ...]  # None where suppressed: drawn as a gap, never as 0


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


def _build(report: PublishedReport) -> ExportTable:
    two_way = bool(report.column_dimension)
    total = pgettext("report export", "Total")
    if two_way:
        header = (report.row_dimension_label, *report.column_labels, total)
        rows = tuple(
            Row(label, cells, row_total)
            for label, cells, row_total in zip(
                report.row_labels, report.cells, report.row_totals, strict=True
            )
        )
        totals = Row(total, report.column_totals, report.grand_total)
        series = tuple(
            Series(name, tuple(row[i].value for row in report.cells))
            for i, name in enumerate(report.column_labels)
        )
    else:
        header = (report.row_dimension_label, report.figure_label)
        rows = tuple(
            Row(label, cells, None)
            for label, cells in zip(report.row_labels, report.cells, strict=True)
        )
        totals = Row(total, (report.grand_total,), None)
        series = (Series(report.figure_label, tuple(row[0].value for row in report.cells)),)
    return ExportTable(
        language=report.language,
        title=report.figure_label,
        period=report.period_label,
        header=header,
        rows=rows,
        totals=totals,
        notes=_notes(report),
        paragraph=report.paragraph,
        categories=report.row_labels,
        series=series,
        over_time=report.row_dimension in TIME_DIMENSIONS,
        baseline_header=(
            report.row_dimension_label,
            report.figure_label,
            _("Mean of the 3 months before"),
            pgettext("report export", "Change"),
            _("Same month a year before"),
            pgettext("report export", "In words"),
        )
        if report.baseline
        else (),
        baseline=tuple(
            (b.label, b.value.display, b.previous_mean, b.change, b.year_before, b.wording)
            for b in report.baseline
        ),
    )


def _notes(report: PublishedReport) -> tuple[str, ...]:
    notes = [
        _(
            "Counts below 5 are shown as “<5”, and some further cells are hidden the same way, "
            "so that no small count can be worked out from the totals."
        )
    ]
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
