"""Shelter figures for reports: admissions and turn-aways; registered from ready()."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.figures import consented
from crisis_ops.reports.registry import Dimension, Figure, Scope, register_figure
from shelters.models import Bed, Occupancy, TurnAway


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
    register_figure(
        Figure(
            key="shelter_admissions",
            label=_("Shelter admissions"),
            rows=_admissions,
            noun=lambda n: ngettext("%(count)s admission", "%(count)s admissions", n),
            date_path="admitted_on",
            organisation_path="bed__shelter__organisation_id",
            region_path="bed__shelter__region__code",
            dimensions={"bed_kind": Dimension("bed_kind", _("Bed"), "bed__kind", Bed.Kind.choices)},
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
