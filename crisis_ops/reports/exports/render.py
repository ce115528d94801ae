"""One entry point: a published report and a format in, the file's bytes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crisis_ops.reports.exports.table import ExportTable, export_table
from crisis_ops.reports.exports.to_csv import render_csv
from crisis_ops.reports.exports.to_pdf import render_pdf
from crisis_ops.reports.exports.to_xlsx import render_xlsx
from crisis_ops.reports.result import PublishedReport


@dataclass(frozen=True)
class Format:
    code: str
    extension: str
    content_type: str
    render: Callable[[ExportTable], bytes]


FORMATS = {
    f.code: f
    for f in (
        Format("csv", "csv", "text/csv; charset=utf-8", render_csv),
        Format(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            render_xlsx,
        ),
        Format("pdf", "pdf", "application/pdf", render_pdf),
    )
}


def render_report(report: PublishedReport, format_code: str) -> bytes:
    return FORMATS[format_code].render(export_table(report))
