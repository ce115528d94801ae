"""Shelter figures for reports; registered from ready().

Admissions and turn-aways are rows. Occupancy against capacity is a census: on the last
night of each month (or tonight, in the current month) the beds taken by a stay and
the beds in service; a longer period adds its months up, so its total is the mean
occupancy. Beds per 10,000 population divide today's beds in service by the regions'
population from the region reference data (Region.population and its source): beds
carry no history, so that figure is by region (or bed kind), not by month.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.figures import consented
from crisis_ops.organisations.models import Organisation, Region
from crisis_ops.reports.registry import (
    Dimension,
    Figure,
    Key,
    Place,
    Record,
    Scope,
    register_figure,
    tally,
)
from shelters.models import Bed, Occupancy, TurnAway

_BED_KIND = Dimension("bed_kind", _("Bed"), "bed__kind", Bed.Kind.choices)


def _admissions(scope: Scope) -> QuerySet[Occupancy]:
    return Occupancy.objects.filter(
        kind=Occupancy.Kind.STAY,
        bed__shelter__organisation_id__in=scope.organisation_ids,
        admitted_on__gte=scope.start,
        admitted_on__lte=scope.end,
    ).filter(consented("case"))


def _turn_aways(scope: Scope) -> QuerySet[TurnAway]:
    # A turn-away holds no case: it is a count of requests, not of anyone's file.
    return TurnAway.objects.filter(
        shelter__organisation_id__in=scope.organisation_ids,
        occurred_on__gte=scope.start,
        occurred_on__lte=scope.end,
    )


def register() -> None:
    register_capacity()
    register_figure(
        Figure(
            key="shelter_admissions",
            label=_("Shelter admissions"),
            rows=_admissions,
            noun=lambda n: ngettext("%(count)s admission", "%(count)s admissions", n),
            date_path="admitted_on",
            organisation_path="bed__shelter__organisation_id",
            region_path="bed__shelter__region__code",
            dimensions={"bed_kind": _BED_KIND},
        )
    )
    register_figure(
        Figure(
            key="turn_aways",
            label=_("Shelter turn-aways"),
            rows=_turn_aways,
            noun=lambda n: ngettext("%(count)s turn-away", "%(count)s turn-aways", n),
            date_path="occurred_on",
            organisation_path="shelter__organisation_id",
            region_path="shelter__region__code",
            dimensions={
                "turn_away_reason": Dimension(
                    "turn_away_reason", _("Reason"), "reason", TurnAway.Reason.choices
                ),
                "bed_kind": Dimension("bed_kind", _("Bed"), "bed_kind", Bed.Kind.choices),
            },
        )
    )


def census_days(scope: Scope) -> Iterator[datetime.date]:
    """The last night of each month of the scope, or tonight for the current month."""
    today = timezone.localdate()
    first = scope.start
    while first <= scope.end and first <= today:
        following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        yield min(following - datetime.timedelta(days=1), today)
        first = following


def _beds_in_service(scope: Scope) -> QuerySet[Bed]:
    return Bed.objects.filter(
        shelter__organisation_id__in=scope.organisation_ids, out_of_service=False
    )


def _stays_over(scope: Scope) -> QuerySet[Occupancy]:
    return Occupancy.objects.filter(
        kind=Occupancy.Kind.STAY,
        bed__shelter__organisation_id__in=scope.organisation_ids,
        admitted_on__lte=scope.end,
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=scope.start))


def _occupied(
    scope: Scope, dims: tuple[str, ...], filters: dict[str, tuple[str, ...]]
) -> Counter[Key]:
    """Beds taken by a stay (of a case consented for statistics) on each census night."""
    stays = list(
        _stays_over(scope)
        .filter(consented("case"))
        .values_list(
            "admitted_on",
            "ended_at",
            "bed__kind",
            "bed__shelter__organisation_id",
            "bed__shelter__region__code",
        )
    )

    def records() -> Iterator[Record]:
        for night in census_days(scope):
            for admitted, ended, kind, org, region in stays:
                left = timezone.localtime(ended).date() if ended is not None else None
                if admitted is not None and admitted <= night and (left is None or left > night):
                    yield Record(night, str(org), region, {"bed_kind": kind})

    return tally(records(), dims, filters)


def _capacity(
    scope: Scope, dims: tuple[str, ...], filters: dict[str, tuple[str, ...]]
) -> Counter[Key]:
    """Beds in service on each census night (today's beds: beds keep no history)."""
    beds = list(
        _beds_in_service(scope).values_list(
            "kind", "shelter__organisation_id", "shelter__region__code"
        )
    )
    return tally(
        (
            Record(night, str(org), region, {"bed_kind": kind})
            for night in census_days(scope)
            for kind, org, region in beds
        ),
        dims,
        filters,
    )


def _regions_in(scope: Scope) -> QuerySet[Region]:
    """The regions of the organisations in scope and of their shelters."""
    return Region.objects.filter(
        Q(organisations__in=Organisation.objects.filter(pk__in=scope.organisation_ids))
        | Q(shelter__organisation_id__in=scope.organisation_ids)
    ).distinct()


def _population(
    scope: Scope, dims: tuple[str, ...], filters: dict[str, tuple[str, ...]]
) -> Counter[Key]:
    """Each region's population (reference data), whatever the bed kind asked for."""
    chosen = filters.get("region")
    result: Counter[Key] = Counter()
    for code, population in _regions_in(scope).values_list("code", "population"):
        if chosen is not None and code not in chosen:
            continue
        result[tuple(code for _dim in dims)] += population
    return result


def _left_out_stays(scope: Scope) -> int:
    return _stays_over(scope).exclude(consented("case")).values("case_id").distinct().count()


def register_capacity() -> None:
    place: Place = {
        "date_path": "",
        "organisation_path": "shelter__organisation_id",
        "region_path": "shelter__region__code",
    }
    register_figure(
        Figure(
            key="shelter_beds_occupied",
            label=_("Shelter beds occupied on the last night of the month"),
            rows=_stays_over,
            counter=_occupied,
            dimensions={"bed_kind": _BED_KIND},
            excluded=_left_out_stays,
            listed=False,
            **place,
        )
    )
    register_figure(
        Figure(
            key="shelter_capacity",
            label=_("Shelter beds in service on the last night of the month"),
            rows=lambda scope: _beds_in_service(scope),
            counter=_capacity,
            dimensions={"bed_kind": _BED_KIND},
            personal=False,
            listed=False,
            **place,
        )
    )
    register_figure(
        Figure(
            key="shelter_occupancy",
            label=_("Shelter occupancy against capacity (%)"),
            rows=_stays_over,
            counter=_occupied,
            dimensions={"bed_kind": _BED_KIND},
            excluded=_left_out_stays,
            denominator="shelter_capacity",
            unit="percent",
            **place,
        )
    )
    by_place = ("region", "organisation", "bed_kind")
    register_figure(
        Figure(
            key="shelter_beds",
            label=_("Shelter beds in service (today)"),
            rows=lambda scope: _beds_in_service(scope),
            dimensions={"bed_kind": Dimension("bed_kind", _("Bed"), "kind", Bed.Kind.choices)},
            personal=False,
            allowed_breakdowns=by_place,
            noun=lambda n: ngettext("%(count)s shelter bed", "%(count)s shelter beds", n),
            **place,
        )
    )
    register_figure(
        Figure(
            key="population",
            label=_("Population (region reference data)"),
            rows=lambda scope: _regions_in(scope),
            counter=_population,
            personal=False,
            allowed_breakdowns=("region",),
            listed=False,
            **place,
        )
    )
    register_figure(
        Figure(
            key="beds_per_10000",
            label=_("Shelter beds per 10,000 population"),
            rows=lambda scope: _beds_in_service(scope),
            personal=False,
            allowed_breakdowns=("region",),
            denominator="population",
            scale=10_000,
            decimals=2,
            unit="per_10000",
            **place,
        )
    )
