"""The figures each domain app offers to reports, registered from its AppConfig.ready().

The reports module never imports a domain model: a figure brings its own base queryset
(already limited to the organisations, the period and the consent for statistics) and
names the ORM paths of its date, organisation, region and categorical dimensions. The
engine turns that into one GROUP BY query.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from django.db.models import QuerySet
from django.utils.functional import Promise

Key = tuple[str, ...]
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


class Place(TypedDict):
    """Where a figure's rows are dated and placed, shared by an app's figures:
    ``Figure(key=..., **place)``."""

    date_path: str
    organisation_path: str
    region_path: str


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
    scale: float = 100
    decimals: int = 1  # of a rate
    # Add up this path (e.g. hours to an answer) instead of counting rows.
    sum_path: str | None = None
    # Counts that are no GROUP BY of rows (e.g. checks due, which are dates computed from
    # each order): (scope, breakdowns, filters) -> counts keyed like counting.count's.
    # ``tally`` below turns the app's records into that shape.
    counter: Callable[[Scope, tuple[str, ...], dict[str, tuple[str, ...]]], Counter[Key]] | None = (
        None
    )
    # Only these breakdowns make sense (e.g. population exists by region only).
    allowed_breakdowns: tuple[str, ...] | None = None
    # False for a figure that only serves as another's numerator or denominator.
    listed: bool = True
    # Counts of things, not people (e.g. beds): small counts identify nobody.
    personal: bool = True
    # n -> "%(count)s incidents" in the active language's plural form (ngettext).
    noun: Callable[[int], str] | None = None

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def dimension_keys(self) -> tuple[str, ...]:
        if self.allowed_breakdowns is not None:
            return self.allowed_breakdowns
        return (*TIME_DIMENSIONS, *PLACE_DIMENSIONS, *self.dimensions)


@dataclass(frozen=True)
class Record:
    """One thing a ``counter`` counts: when, where, its categorical members, how many."""

    on: datetime.date | None
    organisation: str
    region: str
    members: dict[str, str] = field(default_factory=dict)
    n: int = 1


def time_member(dim: str, on: datetime.date) -> str:
    """The key of ``on`` in a month, quarter or year breakdown ("2026-03", "2026-Q1")."""
    if dim == "month":
        return f"{on.year:04d}-{on.month:02d}"
    if dim == "quarter":
        return f"{on.year:04d}-Q{(on.month - 1) // 3 + 1}"
    return f"{on.year:04d}"


def tally(
    records: Iterable[Record], dimensions: tuple[str, ...], filters: dict[str, tuple[str, ...]]
) -> Counter[Key]:
    """Counts of ``records`` by ``dimensions``, keyed as the GROUP BY of counting.count."""
    result: Counter[Key] = Counter()
    for record in records:
        if any(_member_of(record, dim) not in chosen for dim, chosen in filters.items()):
            continue
        result[tuple(_member_of(record, dim) for dim in dimensions)] += record.n
    return result


def _member_of(record: Record, dim: str) -> str:
    if dim in TIME_DIMENSIONS:
        assert record.on is not None
        return time_member(dim, record.on)
    if dim == "region":
        return record.region
    if dim == "organisation":
        return record.organisation
    return record.members[dim]


@dataclass(frozen=True)
class MoreRows:
    """Rows another model holds that a figure counts too, under the same dimensions.

    E.g. anonymous hotline calls among the intakes: they have no case, yet they are
    intakes by source, region, age band... ``paths`` gives, for every dimension of the
    figure, the ORM path in these rows; ``rows`` is already limited to the scope and
    the consent for statistics, like a figure's own.
    """

    rows: Callable[[Scope], QuerySet[Any]]
    date_path: str
    organisation_path: str
    region_path: str
    paths: dict[str, str]
    excluded: Callable[[Scope], int] | None = None

    def as_figure(self, figure: Figure) -> Figure:
        """The figure as these rows would count it: same keys, their own paths."""
        missing = set(figure.dimensions) - set(self.paths)
        if missing:
            raise ValueError(f"{figure.key}: more rows without a path for {sorted(missing)}")
        return replace(
            figure,
            rows=self.rows,
            date_path=self.date_path,
            organisation_path=self.organisation_path,
            region_path=self.region_path,
            dimensions={
                key: replace(dim, path=self.paths[key]) for key, dim in figure.dimensions.items()
            },
            excluded=self.excluded,
            counter=None,
        )


_FIGURES: dict[str, Figure] = {}
_MORE_ROWS: dict[str, list[MoreRows]] = {}


def register_figure(figure: Figure) -> None:
    """Register (or replace, by key) a figure."""
    _FIGURES[figure.key] = figure


def register_more_rows(figure_key: str, more: MoreRows) -> None:
    """Count ``more`` in the figure ``figure_key`` too (registered by another model's app)."""
    parts = _MORE_ROWS.setdefault(figure_key, [])
    if more not in parts:
        parts.append(more)


def figure_parts(figure: Figure) -> list[Figure]:
    """The figure itself, then each set of more rows as a figure of its own to count."""
    if figure.distinct_path is not None:
        return [figure]  # distinct counts do not add up across models
    return [figure, *(more.as_figure(figure) for more in _MORE_ROWS.get(figure.key, []))]


def figure_excluded(figure: Figure, scope: Scope) -> int:
    """How many left out for want of consent, over the figure and its more rows."""
    return sum(part.excluded(scope) for part in figure_parts(figure) if part.excluded)


def figure_get(key: str) -> Figure | None:
    return _FIGURES.get(key)


def figures(*, listed_only: bool = False) -> list[Figure]:
    found = (f for f in _FIGURES.values() if f.listed or not listed_only)
    return sorted(found, key=lambda f: f.key)
