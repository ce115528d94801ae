"""The ready paragraph for an advocacy letter, from published figures only.

Sentences are whole translatable strings (not glued words), so Kazakh and Russian can be
written as their speakers write them; counts go through ngettext for the plural forms.
"""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from crisis_ops.organisations.models import Organisation
from crisis_ops.reports.definition import Definition
from crisis_ops.reports.formatting import number
from crisis_ops.reports.members import month_label
from crisis_ops.reports.registry import Figure
from crisis_ops.reports.result import PublishedReport
from crisis_ops.reports.suppression import THRESHOLD


def in_month(key: str) -> str:
    year, month = key.split("-")
    forms = {
        1: pgettext("in month", "in January %(year)s"),
        2: pgettext("in month", "in February %(year)s"),
        3: pgettext("in month", "in March %(year)s"),
        4: pgettext("in month", "in April %(year)s"),
        5: pgettext("in month", "in May %(year)s"),
        6: pgettext("in month", "in June %(year)s"),
        7: pgettext("in month", "in July %(year)s"),
        8: pgettext("in month", "in August %(year)s"),
        9: pgettext("in month", "in September %(year)s"),
        10: pgettext("in month", "in October %(year)s"),
        11: pgettext("in month", "in November %(year)s"),
        12: pgettext("in month", "in December %(year)s"),
    }
    return forms[int(month)] % {"year": year}


def count_phrase(figure: Figure, value: int, language: str) -> str:
    """ "199 incidents" in the language's plural form; a figure without a noun: "label: 199"."""
    shown = number(value, language)
    if figure.noun is None:
        return f"{figure.label}: {shown}"
    return figure.noun(value) % {"count": shown}


def _hidden_phrase(figure: Figure, language: str) -> str:
    return _("fewer than %(count)s") % {"count": number(THRESHOLD, language)} + (
        f" ({figure.label})"
    )


def paragraph_for(
    report: PublishedReport, *, organisations: list[Organisation], definition: Definition
) -> PublishedReport:
    return dataclasses.replace(report, paragraph=paragraph_text(report, organisations, definition))


def paragraph_text(
    report: PublishedReport, organisations: list[Organisation], definition: Definition
) -> str:
    figure = definition.figure
    language = report.language
    if not report.has_data:
        return _("No data was recorded for this period.")
    regions = sorted({o.region.name for o in organisations})
    where = ", ".join(regions) if len(regions) <= 3 else _("the whole network")
    by_month = report.rows.dimension == "month"
    if by_month:
        key = report.rows.keys[-1]
        cell = report.row_totals[-1] if report.columns else report.cells[-1][0]
        when = in_month(key)
    else:
        cell = report.grand_total
        when = _("from %(start)s to %(end)s") % {
            "start": month_label(report.period_start),
            "end": month_label(report.period_end),
        }
    if cell.value is None:
        what = _hidden_phrase(figure, language)
    elif figure.is_rate:
        suffix = " %" if figure.unit == "percent" else ""
        what = f"{figure.label}: {number(cell.value, language, figure.decimals)}{suffix}"
    else:
        what = count_phrase(figure, int(cell.value), language)
    sentence = _("%(when)s the centers of the network (%(where)s) recorded %(what)s") % {
        "when": when,
        "where": where,
        "what": what,
    }
    sentence = sentence[:1].upper() + sentence[1:]
    comparison = _comparison(report, language) if by_month and cell.value is not None else ""
    return f"{sentence}{comparison}."


def _comparison(report: PublishedReport, language: str) -> str:
    entry = report.baseline[-1] if report.baseline else None
    if entry is None or not entry.direction or entry.previous_3_mean is None:
        return ""
    values = {"mean": number(entry.previous_3_mean, language)}
    if entry.direction == "same":
        return _(", the same as the average of the three months before (%(mean)s)") % values
    if entry.previous_3_change_pct is None:
        return ""
    values["pct"] = number(abs(entry.previous_3_change_pct), language)
    if entry.direction == "up":
        return _(", %(pct)s %% more than the average of the three months before (%(mean)s)") % (
            values
        )
    return _(", %(pct)s %% fewer than the average of the three months before (%(mean)s)") % values
