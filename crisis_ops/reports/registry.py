"""The figures each domain app offers to reports, registered from its AppConfig.ready().

The reports module never imports a domain model: a figure brings its own base queryset
(already limited to the organisations, the period and the consent for statistics) and
names the ORM paths of its date, organisation, region and categorical dimensions. The
engine turns that into one GROUP BY query.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

TIME_DIMENSIONS = ("month", "quarter", "year")
PLACE_DIMENSIONS = ("region", "organisation")


@dataclass(frozen=True)
class Scope:
    """What a figure is asked for: organisations and a period of whole months."""

    organisation_ids: tuple[Any, ...]
    start: datetime.date  # first day of the first month
    end: datetime.date  # last day of the last month


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str | Promise
    path: str  # ORM path from the figure's queryset
    # The members in order, or a function giving them (reference data read at run time).
    choices: Sequence[tuple[str, str | Promise]] | Callable[[], Sequence[tuple[str, str]]]
    # A list-valued field (e.g. an incident's violence types): one count per member.
    multi: bool = False

    def members(self) -> list[tuple[str, str]]:
        given = self.choices() if callable(self.choices) else self.choices
        return [(str(k), str(label)) for k, label in given]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    # The rows to count, for the scope, consented for statistics only.
    rows: Callable[[Scope], QuerySet[Any]]
    date_path: str
    organisation_path: str
    region_path: str
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    # Count distinct values of this path instead of rows (e.g. survivors).
    distinct_path: str | None = None
    # How many cases in scope were left out for want of consent for statistics.
    excluded: Callable[[Scope], int] | None = None
    unit: str = "count"
    # Rates: this figure's count ÷ the count of ``denominator`` (same breakdowns), x scale.
    denominator: str | None = None
    scale: int = 100
    # Counts of things, not people (e.g. beds): small counts identify nobody.
    personal: bool = True
    # n -> "%(count)s incidents" in the active language's plural form (ngettext).
    noun: Callable[[int], str] | None = None

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def dimension_keys(self) -> tuple[str, ...]:
        return (*TIME_DIMENSIONS, *PLACE_DIMENSIONS, *self.dimensions)


_FIGURES: dict[str, Figure] = {}


def register_figure(figure: Figure) -> None:
    """Register (or replace, by key) a figure."""
    _FIGURES[figure.key] = figure


def figure_get(key: str) -> Figure | None:
    return _FIGURES.get(key)


def figures() -> list[Figure]:
    return sorted(_FIGURES.values(), key=lambda f: f.key)
