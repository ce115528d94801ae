"""Two years of demo shelter stays and turn-aways for ``seed_demo``.

Stays of the history cases go onto real beds, one at a time per bed; when no suitable bed
is free on the day, the request becomes a turn-away, so occupancy and turn-aways tell the
same story. Every history stay ended before the current demo stays began.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.demo_history import REFERENCE_PREFIX, uuid_from
from cases.models import Case
from crisis_ops.core.demo import register_seeder
from shelters.models import Bed, Occupancy, Shelter, TurnAway

STAY_SHARE = {"high": 0.45, "medium": 0.2, "standard": 0.06}
ENDED_BEFORE_DAYS = 30  # the current demo stays began within the last 30 days
OUTCOMES = (("safe_housing", 30), ("family", 30), ("returned", 15), ("other_shelter", 8),
            ("left", 9), ("other", 8))  # fmt: skip
OTHER_REASONS = ((TurnAway.Reason.QUARANTINE, 0.015), (TurnAway.Reason.OTHER, 0.02))


@register_seeder(order=70)
@transaction.atomic
def seed_shelter_history(write: Callable[[str], None]) -> None:
    from shelters.demo import _manager_of

    today = timezone.localdate()
    for shelter in Shelter.objects.select_related("organisation").order_by("name"):
        # Ended stays of history cases (today's demo stays may be of history cases too).
        history = Occupancy.objects.filter(
            bed__shelter=shelter,
            case__reference__startswith=REFERENCE_PREFIX,
            ended_at__isnull=False,
        )
        actor = _manager_of(shelter.organisation)
        if actor is None or history.exists():
            continue
        rng = random.Random(f"history-shelter-{shelter.name}")  # noqa: S311 - demo data
        others = list(
            Case.objects.filter(reference__startswith=REFERENCE_PREFIX)
            .exclude(organisation=shelter.organisation)
            .values_list("organisation_id", flat=True)
            .distinct()
        )
        board = _Board(rng, shelter, actor, today - datetime.timedelta(days=ENDED_BEFORE_DAYS))
        cases = Case.objects.filter(
            organisation=shelter.organisation, reference__startswith=REFERENCE_PREFIX
        ).select_related("survivor")
        for case in cases.order_by("opened_on", "reference"):
            board.request(case, others)
        Occupancy.objects.bulk_create(board.stays, batch_size=500)
        Occupancy.objects.bulk_create(board.children, batch_size=500)
        TurnAway.objects.bulk_create(board.turn_aways, batch_size=500)
        write(
            f"  history: {len(board.stays)} stays, {len(board.turn_aways)} turn-aways "
            f"at {shelter.name}"
        )


class _Board:
    """Who sleeps in which bed until when, as the two years go by."""

    def __init__(self, rng: random.Random, shelter: Shelter, actor: Any, cutoff: Any) -> None:
        self.rng, self.shelter, self.actor, self.cutoff = rng, shelter, actor, cutoff
        beds = Bed.objects.filter(shelter=shelter, out_of_service=False, isolation=False)
        self.beds = list(beds.order_by("room__name", "label"))
        self.free_from: dict[Any, datetime.date] = {bed.pk: datetime.date.min for bed in self.beds}
        self.stays: list[Occupancy] = []
        self.children: list[Occupancy] = []
        self.turn_aways: list[TurnAway] = []

    def request(self, case: Case, others: list[Any]) -> None:
        rng = self.rng
        day = case.opened_on + datetime.timedelta(days=rng.randrange(3))
        for reason, share in OTHER_REASONS:
            if rng.random() < share:
                self._turn_away(day, reason, Bed.Kind.ADULT, None)
        if others and rng.random() < 0.08:  # another center asked for a bed for its client
            self._request_from(day, rng.choice(others))
        if rng.random() >= STAY_SHARE.get(case.risk_band, 0.1):
            return
        length = rng.choice((7, 14, 21, 30, 45, 60, 90)) + rng.randrange(7)
        if rng.random() < 0.04:
            length = rng.randint(181, 200)  # past the six-month mark: a warning case
        end = day + datetime.timedelta(days=length)
        if end >= self.cutoff:
            return
        accessible = case.survivor.disability == "physical"
        bed = self._free_bed(day, Bed.Kind.ADULT, accessible)
        if bed is None:
            reason = TurnAway.Reason.NO_ACCESSIBLE_BED if accessible else TurnAway.Reason.NO_BED
            self._turn_away(day, reason, Bed.Kind.ADULT, None, people=1 + rng.randrange(3))
            return
        stay = self._stay(bed, case, day, end, None)
        if rng.random() < 0.35:
            child_bed = self._free_bed(day, Bed.Kind.CHILD, False)
            if child_bed is not None:
                self.children.append(self._stay(child_bed, case, day, end, stay))

    def _request_from(self, day: datetime.date, organisation_id: Any) -> None:
        if self._free_bed(day, Bed.Kind.ADULT, False) is None:
            self._turn_away(day, TurnAway.Reason.NO_BED, Bed.Kind.ADULT, organisation_id)

    def _free_bed(self, day: datetime.date, kind: str, accessible: bool) -> Bed | None:
        for bed in self.beds:
            if bed.kind == kind and self.free_from[bed.pk] <= day:
                if accessible and not bed.wheelchair_accessible:
                    continue
                return bed
        return None

    def _stay(
        self,
        bed: Bed,
        case: Case,
        day: datetime.date,
        end: datetime.date,
        mother: Occupancy | None,
    ) -> Occupancy:
        self.free_from[bed.pk] = end + datetime.timedelta(days=1)
        outcome = (
            mother.outcome
            if mother
            else self.rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
        )
        stay = Occupancy(
            id=uuid_from(self.rng),
            bed=bed,
            case=case,
            kind=Occupancy.Kind.STAY,
            accompanies=mother,
            placed_by=self.actor,
            admitted_on=day,
            expected_end=day + datetime.timedelta(days=60),
            ended_at=timezone.make_aware(datetime.datetime.combine(end, datetime.time(12))),
            end_reason=Occupancy.EndReason.DISCHARGED,
            outcome=outcome,
        )
        if mother is None:
            self.stays.append(stay)
        return stay

    def _turn_away(
        self, day: datetime.date, reason: str, kind: str, requesting: Any, people: int = 1
    ) -> None:
        if day >= self.cutoff:
            return
        self.turn_aways.append(
            TurnAway(
                id=uuid_from(self.rng),
                shelter=self.shelter,
                requesting_organisation_id=requesting,
                occurred_on=day,
                reason=reason,
                bed_kind=kind,
                people=people,
                recorded_by=self.actor,
            )
        )
