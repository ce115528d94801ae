"""The page's chart: a small server-drawn SVG (no script, no CDN) of published values.

Hidden cells are gaps, never zeros. Rows are the categories; with a column breakdown
the bars of one row stand side by side.
"""

from __future__ import annotations

from html import escape

from crisis_ops.reports.result import PublishedReport

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 44, 64, 12
COLOURS = ("#1f5f8b", "#d9822b", "#3c8d40", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")


def report_svg(report: PublishedReport) -> str:
    series = report.columns.labels if report.columns else (report.figure_label,)
    values = [[c.value for c in row] for row in report.cells]
    top = max((v for row in values for v in row if v is not None), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(values))
    bar = step * 0.8 / max(1, len(series))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" font-family="DejaVu Sans, Noto Sans" font-size="10" class="chart">',
        f"<title>{escape(report.figure_label)}</title>",
        f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#999"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end">{top:g}</text>',
    ]
    for r, row in enumerate(values):
        x0 = LEFT + r * step + step * 0.1
        for s, value in enumerate(row):
            if value is None:
                continue
            h = plot_h * value / top
            out.append(
                f'<rect x="{x0 + s * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[s % len(COLOURS)]}"/>'
            )
        label = escape(report.rows.labels[r])
        out.append(
            f'<text x="{x0 + step * 0.4:.1f}" y="{TOP + plot_h + 12}" text-anchor="end" '
            f'transform="rotate(-35 {x0 + step * 0.4:.1f} {TOP + plot_h + 12})">{label}</text>'
        )
    for s, name in enumerate(series[:7]):
        out.append(
            f'<rect x="{LEFT + s * 90}" y="{HEIGHT - 10}" width="8" height="8" '
            f'fill="{COLOURS[s % len(COLOURS)]}"/><text x="{LEFT + s * 90 + 11}" '
            f'y="{HEIGHT - 2}">{escape(name[:14])}</text>'
        )
    out.append("</svg>")
    return "".join(out)
