"""Reads about shelters: the network availability board and a manager's beds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from shelters.models import Bed, Occupancy, Shelter, ShelterUserObjectPermission


def occupied_q(now: Any = None) -> Q:
    """A bed is taken by an active stay, or by a hold still inside its 90 minutes."""
    now = now or timezone.now()
    active = Occupancy.objects.filter(bed=OuterRef("pk"), ended_at__isnull=True).filter(
        Q(kind=Occupancy.Kind.STAY) | Q(hold_expires_at__gte=now)
    )
    return Q(Exists(active))


def free_beds(now: Any = None) -> QuerySet[Bed]:
    return Bed.objects.filter(out_of_service=False).exclude(occupied_q(now))


@dataclass(frozen=True)
class BoardRow:
    shelter: Shelter
    free: dict[str, int]
    free_accessible: int
    free_isolation: int
    total: int
    show_address: bool


def availability_board(
    *, user: User, region_id: uuid.UUID | None = None, kind: str = ""
) -> list[BoardRow]:
    """Free beds by kind for every shelter of the network, in two queries.

    The street address is given only to members of the shelter's own organisation.
    """
    now = timezone.now()
    free = Q(beds__out_of_service=False) & ~Q(beds__in=Bed.objects.filter(occupied_q(now)))
    shelters = (
        Shelter.objects.select_related("region", "organisation")
        .annotate(
            total=Count("beds", distinct=True),
            free_adult=Count("beds", filter=free & Q(beds__kind=Bed.Kind.ADULT), distinct=True),
            free_child=Count("beds", filter=free & Q(beds__kind=Bed.Kind.CHILD), distinct=True),
            free_cot=Count("beds", filter=free & Q(beds__kind=Bed.Kind.COT), distinct=True),
            free_accessible=Count(
                "beds", filter=free & Q(beds__wheelchair_accessible=True), distinct=True
            ),
            free_isolation=Count("beds", filter=free & Q(beds__isolation=True), distinct=True),
        )
        .order_by("region__name_en", "name")
    )
    if region_id:
        shelters = shelters.filter(region_id=region_id)
    own = set(
        Membership.objects.filter(user=user, is_active=True).values_list(
            "organisation_id", flat=True
        )
    )
    rows = [
        BoardRow(
            shelter=s,
            free={"adult": s.free_adult, "child": s.free_child, "cot": s.free_cot},  # type: ignore[attr-defined]
            free_accessible=s.free_accessible,  # type: ignore[attr-defined]
            free_isolation=s.free_isolation,  # type: ignore[attr-defined]
            total=s.total,  # type: ignore[attr-defined]
            show_address=s.organisation_id in own,
        )
        for s in shelters
    ]
    if kind:
        rows = [row for row in rows if row.free.get(kind, 0) > 0]
    return rows


def shelters_managed_by(user: User) -> QuerySet[Shelter]:
    """Shelters of organisations where the user is a shelter manager, or named on the shelter."""
    orgs = Membership.objects.filter(user=user, is_active=True, role=Role.SHELTER_MANAGER).values(
        "organisation_id"
    )
    named = ShelterUserObjectPermission.objects.filter(user=user).values("content_object_id")
    return Shelter.objects.filter(Q(organisation_id__in=orgs) | Q(pk__in=named))


def shelter_get_for_manager(*, user: User, shelter_id: uuid.UUID | str) -> Shelter:
    try:
        return shelters_managed_by(user).get(pk=shelter_id)
    except (Shelter.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
