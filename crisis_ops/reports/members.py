"""The members (keys and labels) of each breakdown, in the report's language."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from crisis_ops.organisations.models import Organisation, Region
from crisis_ops.reports.definition import add_months
from crisis_ops.reports.registry import Figure


def dimension_label(figure: Figure, dim: str) -> str:
    fixed = {
        "month": _("Month"),
        "quarter": _("Quarter"),
        "year": _("Year"),
        "region": _("Region"),
        "organisation": _("Organisation"),
    }
    if dim in fixed:
        return fixed[dim]
    return str(figure.dimensions[dim].label)


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTHS[int(month)]} {year}"


def members(
    figure: Figure,
    dim: str,
    *,
    start: datetime.date,
    end: datetime.date,
    organisations: list[Organisation],
    seen: Iterable[str],
) -> list[tuple[str, str]]:
    """(key, label) of every member: every month of the period, every region in scope..."""
    if dim == "month":
        keys, first = [], start
        while first <= end:
            keys.append(first.strftime("%Y-%m"))
            first = add_months(first, 1)
        return [(k, month_label(k)) for k in keys]
    if dim == "quarter":
        quarters: list[str] = []
        first = start
        while first <= end:
            key = f"{first.year:04d}-Q{(first.month - 1) // 3 + 1}"
            if key not in quarters:
                quarters.append(key)
            first = add_months(first, 1)
        return [
            (k, _("Q%(quarter)s %(year)s") % {"quarter": k[-1], "year": k[:4]}) for k in quarters
        ]
    if dim == "year":
        return [(str(y), str(y)) for y in range(start.year, end.year + 1)]
    if dim == "region":
        # The organisations' regions, and any other a figure's rows lie in (a shelter
        # may stand in another region than its organisation's office).
        codes = {o.region.code for o in organisations} | set(seen)
        regions = Region.objects.filter(code__in=codes)
        return sorted(((r.code, r.name) for r in regions), key=lambda m: m[1])
    if dim == "organisation":
        return [(str(o.pk), o.name) for o in sorted(organisations, key=lambda o: o.name)]
    dimension = figure.dimensions[dim]
    choices = dimension.members()
    known = {k for k, _label in choices}
    return choices + [(k, k) for k in sorted(set(seen)) if k not in known]
