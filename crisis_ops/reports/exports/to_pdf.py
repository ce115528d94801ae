"""PDF: the paragraph, the chart (inline SVG) and the table, in the report's language.

Rendered by WeasyPrint from a template whose every rule names its font (DejaVu Sans, then
Noto Sans): both carry every Kazakh letter, and a generic family could fall back to one
that does not.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from crisis_ops.reports.exports.svg import chart_svg
from crisis_ops.reports.exports.table import ExportTable


def render_pdf(table: ExportTable) -> bytes:
    from weasyprint import HTML

    with translation.override(table.language):
        html = render_to_string(
            "reports/exports/report.html",
            {
                "table": table,
                "lines": table.body_lines(),
                "chart": mark_safe(chart_svg(table)),  # noqa: S308 - built from escaped text
                "made_on": timezone.localdate(),
            },
        )
    return bytes(HTML(string=html).write_pdf())
