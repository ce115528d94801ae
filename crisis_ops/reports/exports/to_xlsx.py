"""XLSX with the table as numbers (suppressed cells as the text "<5") and a native chart.

The chart is Excel's own (openpyxl BarChart/LineChart over the table's cells), so a
coordinator can restyle it; it reads the same cells, and a suppressed cell is a gap in it.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from crisis_ops.reports.exports.table import ExportTable, Row

TABLE_TOP = 4  # title, period, blank line, then the header


def render_xlsx(table: ExportTable) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31] or "Report"
    _put(sheet, 1, 1, table.title).font = Font(bold=True, size=14)
    _put(sheet, 2, 1, table.period)
    for column, text in enumerate(table.header, 1):
        cell = _put(sheet, TABLE_TOP, column, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    line = TABLE_TOP
    for row in table.rows:
        line += 1
        _write_row(sheet, line, row, bold=False)
    line += 1
    _write_row(sheet, line, table.totals, bold=True)
    line += 2
    line = _baseline(sheet, table, line)
    for text in (*table.notes, table.paragraph):
        if text:
            _put(sheet, line, 1, text).alignment = Alignment(wrap_text=False)
            line += 1
    sheet.column_dimensions["A"].width = max(14, min(40, max(len(r.label) for r in table.rows) + 2))
    for column in range(2, table.width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 13
    if table.rows:
        with translation.override(table.language):
            _chart(sheet, table, line + 1)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _put(sheet: Worksheet, row: int, column: int, value: str | float | None) -> Cell:
    """A cell; text is always text: openpyxl would store "=..." as a formula Excel runs."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _write_row(sheet: Worksheet, line: int, row: Row, *, bold: bool) -> None:
    _put(sheet, line, 1, row.label).font = Font(bold=bold)
    cells = (*row.cells, row.total) if row.total is not None else row.cells
    for column, published in enumerate(cells, 2):
        value: float | str = published.value if published.value is not None else published.display
        cell = _put(sheet, line, column, value)
        cell.font = Font(bold=bold)
        cell.alignment = Alignment(horizontal="right")


def _baseline(sheet: Worksheet, table: ExportTable, line: int) -> int:
    if not table.baseline:
        return line
    for column, text in enumerate(table.baseline_header, 1):
        _put(sheet, line, column, text).font = Font(bold=True)
    for values in table.baseline:
        line += 1
        for column, text in enumerate(values, 1):
            _put(sheet, line, column, text)
    return line + 2


def _chart(sheet: Worksheet, table: ExportTable, anchor_line: int) -> None:
    """The chart reads a block of its own, where a suppressed cell is empty: Excel plots the
    text "<5" as zero, which would publish a false 0; an empty cell is a gap."""
    book = sheet.parent
    assert book is not None  # a sheet of the workbook being written
    data_sheet = book.create_sheet(_("Chart data")[:31])
    _put(data_sheet, 1, 1, table.header[0])
    for column, series in enumerate(table.series, 2):
        _put(data_sheet, 1, column, series.name)
    for line, category in enumerate(table.categories, 2):
        _put(data_sheet, line, 1, category)
        for column, series in enumerate(table.series, 2):
            _put(data_sheet, line, column, series.values[line - 2])
    last = 1 + len(table.categories)
    chart = LineChart() if table.over_time else BarChart()
    chart.title = f"{table.title} — {table.period}"
    chart.height, chart.width = 9, 18
    chart.display_blanks = "gap"
    data = Reference(data_sheet, min_col=2, max_col=1 + len(table.series), min_row=1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(data_sheet, min_col=1, min_row=2, max_row=last))
    sheet.add_chart(chart, f"A{anchor_line}")
