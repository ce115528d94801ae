"""Shelters in retention: "with a shelter stay" as a kind of case, a stay or hold not yet
ended as a legal hold (nobody is purged while she sleeps in a shelter), and the purge of her
stays. Registered from ``SheltersConfig.ready()``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crisis_ops.retention.registry import (
    Deleted,
    register_case_kind,
    register_hold,
    register_purger,
)
from shelters.models import Occupancy

WITH_STAY = "with_shelter_stay"
IN_SHELTER = "shelter_stay_current"


def _with_stay(case_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    stays = Occupancy.objects.filter(case_id__in=list(case_ids), kind=Occupancy.Kind.STAY)
    return set(stays.values_list("case_id", flat=True))


def _current(case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    held: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = Occupancy.objects.filter(case_id__in=list(case_ids), ended_at__isnull=True)
    for case_id in rows.values_list("case_id", flat=True).distinct():
        held[case_id].append(_("A shelter stay or bed hold has not ended."))
    return held


def _purge(survivor_ids: Sequence[uuid.UUID]) -> Deleted:
    stays = Occupancy.objects.filter(case__survivor_id__in=list(survivor_ids))
    deleted = {"shelters.occupancy": list(stays.values_list("case__survivor_id", "pk"))}
    stays.filter(accompanies__isnull=False).delete()
    stays.delete()
    return deleted


def register() -> None:
    register_case_kind(WITH_STAY, label=gettext_lazy("Cases with a shelter stay"), cases=_with_stay)
    register_hold(IN_SHELTER, label=gettext_lazy("A shelter stay has not ended"), held=_current)
    register_purger("shelters", order=20, purge=_purge)
