"""Charts as plain SVG text, drawn here rather than by a plotting library: WeasyPrint runs
no JavaScript, and the few shapes a bar or line chart needs are not worth matplotlib.

The font is named explicitly (DejaVu Sans, then Noto Sans): both carry every Kazakh
letter; a generic "sans-serif" may fall back to Liberation, which lacks ә ғ қ ң ө ұ ү һ.
A suppressed value is a gap (no bar, a break in the line), never a zero.
"""

from __future__ import annotations

import math
from html import escape

from crisis_ops.reports.exports.table import ExportTable, Series

FONT = "DejaVu Sans, Noto Sans"
COLOURS = ("#1f5f8b", "#d9822b", "#3c8d40", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")
WIDTH, HEIGHT = 680, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 70


def chart_svg(table: ExportTable) -> str:
    values = [v for s in table.series for v in s.values if v is not None]
    top = _nice_ceiling(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" font-size="10" role="img">',
        f"<title>{escape(table.title)} — {escape(table.period)}</title>",
    ]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">{value:g}</text>'
        )
    count = max(1, len(table.categories))
    step = plot_w / count
    draw = _lines if table.over_time else _bars
    parts.extend(draw(table.series, step, top, plot_h))
    label_every = max(1, math.ceil(count / 24))
    for i, category in enumerate(table.categories):
        if i % label_every:
            continue
        x = LEFT + step * (i + 0.5)
        y = TOP + plot_h + 10
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end" '
            f'transform="rotate(-40 {x:.1f} {y:.1f})">{escape(category[:22])}</text>'
        )
    if len(table.series) > 1:
        parts.extend(_legend(table.series))
    parts.append("</svg>")
    return "".join(parts)


def _y(value: float, top: float, plot_h: float) -> float:
    return TOP + plot_h - (plot_h * value / top if top else 0)


def _bars(series: tuple[Series, ...], step: float, top: float, plot_h: float) -> list[str]:
    width = step * 0.8 / len(series)
    shapes = []
    for k, one in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        for i, value in enumerate(one.values):
            if value is None:
                continue
            x = LEFT + step * i + step * 0.1 + width * k
            y = _y(value, top, plot_h)
            shapes.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{TOP + plot_h - y:.1f}" fill="{colour}"/>'
            )
    return shapes


def _lines(series: tuple[Series, ...], step: float, top: float, plot_h: float) -> list[str]:
    shapes = []
    for k, one in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        runs: list[list[str]] = [[]]
        for i, value in enumerate(one.values):
            if value is None:
                runs.append([])  # a gap where the value is suppressed
                continue
            x, y = LEFT + step * (i + 0.5), _y(value, top, plot_h)
            runs[-1].append(f"{x:.1f},{y:.1f}")
            shapes.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
        for run in runs:
            if len(run) > 1:
                shapes.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"/>'
                )
    return shapes


def _legend(series: tuple[Series, ...]) -> list[str]:
    items, x = [], LEFT
    y = HEIGHT - 8
    for k, one in enumerate(series[: len(COLOURS)]):
        colour = COLOURS[k % len(COLOURS)]
        name = escape(one.name[:18])
        items.append(
            f'<rect x="{x}" y="{y - 8}" width="9" height="9" fill="{colour}"/>'
            f'<text x="{x + 12}" y="{y}">{name}</text>'
        )
        x += 24 + 6 * len(one.name[:18])
    return items


def _nice_ceiling(value: float) -> float:
    """The axis top: 1, 2, 2.5 or 5 times a power of ten, at or above the largest value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * power:
            return float(factor * power)
    return float(10 * power)
