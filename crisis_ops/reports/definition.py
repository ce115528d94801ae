"""A report definition, checked before anything runs: the same checks for page and API."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis_ops.reports.registry import Figure, figure_get

MAX_BREAKDOWNS = 2
MAX_MONTHS = 60
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Definition:
    figure: Figure
    start: datetime.date  # first day of the first month
    end: datetime.date  # last day of the last month
    breakdowns: tuple[str, ...]
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    organisation_ids: tuple[str, ...] = ()  # empty: every organisation the user may see
    language: str = "en"

    def to_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure.key,
            "start": self.start.strftime("%Y-%m"),
            "end": self.end.strftime("%Y-%m"),
            "breakdowns": list(self.breakdowns),
            "filters": {k: list(v) for k, v in self.filters.items()},
            "organisations": list(self.organisation_ids),
            "language": self.language,
        }


def month_start(text: str) -> datetime.date | None:
    match = _MONTH.match(str(text or ""))
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        return None
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def add_months(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def parse_definition(data: dict[str, Any], *, visible_organisation_ids: set[str]) -> Definition:
    """A Definition, or ValidationError with a message per field; nothing is run."""
    errors: dict[str, list[str]] = {}
    figure = figure_get(str(data.get("figure") or ""))
    if figure is not None and not figure.listed:
        figure = None  # a numerator or denominator of another figure, not a report
    if figure is None:
        errors["figure"] = [_("Unknown figure.")]
    start = month_start(data.get("start", ""))
    end = month_start(data.get("end", ""))
    if start is None:
        errors["start"] = [_("Give the first month as YYYY-MM.")]
    if end is None:
        errors["end"] = [_("Give the last month as YYYY-MM.")]
    this_month = timezone.localdate().replace(day=1)
    if start and end:
        if end < start:
            errors["end"] = [_("The period ends before it starts.")]
        elif end > this_month:
            errors["end"] = [_("The period lies in the future.")]
        elif add_months(start, MAX_MONTHS) <= end:
            errors["end"] = [_("A report covers at most 60 months.")]
    breakdowns = data.get("breakdowns") or []
    if isinstance(breakdowns, str):
        breakdowns = [breakdowns]
    breakdowns = [str(b) for b in breakdowns if b]
    if len(breakdowns) > MAX_BREAKDOWNS:
        errors["breakdowns"] = [_("Choose at most two breakdowns.")]
    elif len(set(breakdowns)) != len(breakdowns):
        errors["breakdowns"] = [_("Choose two different breakdowns.")]
    elif figure is not None:
        unknown = [b for b in breakdowns if b not in figure.dimension_keys()]
        if unknown:
            errors["breakdowns"] = [_("Unknown breakdown for this figure.")]
    filters_in = data.get("filters") or {}
    filters: dict[str, tuple[str, ...]] = {}
    if not isinstance(filters_in, dict):
        errors["filters"] = [_("Filters must be an object.")]
    elif figure is not None:
        for dim, members in filters_in.items():
            if dim not in figure.dimension_keys() or dim in ("month", "quarter", "year"):
                errors["filters"] = [_("Unknown filter for this figure.")]
                break
            values = [members] if isinstance(members, str) else list(members or [])
            if values:
                filters[str(dim)] = tuple(sorted(str(v) for v in values))
    organisations = data.get("organisations") or []
    if isinstance(organisations, str):
        organisations = [organisations]
    organisations = sorted({str(o) for o in organisations})
    if any(o not in visible_organisation_ids for o in organisations):
        errors["organisations"] = [_("You may not report on these organisations.")]
    language = str(data.get("language") or "en")
    if language not in ("kk", "ru", "en"):
        errors["language"] = [_("Choose Kazakh, Russian or English.")]
    if errors:
        raise ValidationError(errors)
    assert figure is not None and start is not None and end is not None
    return Definition(
        figure=figure,
        start=start,
        end=month_end(end),
        breakdowns=tuple(breakdowns) or _default_breakdowns(figure),
        filters=filters,
        organisation_ids=tuple(organisations),
        language=language,
    )


def _default_breakdowns(figure: Figure) -> tuple[str, ...]:
    keys = figure.dimension_keys()
    return ("month",) if "month" in keys else keys[:1]
