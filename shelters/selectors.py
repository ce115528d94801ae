"""Reads about shelters: the network availability board, a manager's beds, holds and stays.

Every read is scoped in the database (the network board and the manager's dashboard
counts are in ``shelters.board``). Who may do what:

- anyone signed in with a role sees the board (counts, intake phone, last update);
  the street address only within the shelter's own organisation;
- shelter managers of the owning organisation, or a person named on the shelter,
  run its bed grid: holds, admissions, discharges; they see the survivor code and
  the practical needs, never the case file;
- org admins and shelter managers of the organisation set shelters, rooms and beds up;
- caseworkers and supervisors hold beds for cases they may change, anywhere.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from cases.models import Case
from cases.selectors import case_organisations, case_scope_q
from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role
from shelters.models import Bed, Occupancy, Room, Shelter, ShelterUserObjectPermission, TurnAway

_M = TypeVar("_M", bound=Model)


def active_occupancies(*, now: datetime.datetime | None = None) -> QuerySet[Occupancy]:
    """Stays not yet ended and holds still inside their 90 minutes: what takes a bed.

    The board's counting statement (``bed_counts``) spells the same rule in SQL.
    """
    return Occupancy.objects.filter(ended_at__isnull=True).filter(
        Q(kind=Occupancy.Kind.STAY) | Q(hold_expires_at__gte=now or timezone.now())
    )


def occupied_q(*, now: datetime.datetime | None = None) -> Q:
    """A bed is taken by an active stay, or by a hold still inside its 90 minutes."""
    return Q(Exists(active_occupancies(now=now).filter(bed=OuterRef("pk"))))


def free_beds(*, now: datetime.datetime | None = None) -> QuerySet[Bed]:
    return Bed.objects.filter(out_of_service=False, shelter__is_active=True).exclude(
        occupied_q(now=now)
    )


def _one(queryset: QuerySet[_M], pk: uuid.UUID | str) -> _M:
    """The row with this key within the caller's scope, else 404: never reveal it exists."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc


def member_organisations(*, user: User) -> list[uuid.UUID]:
    return list(
        Membership.objects.filter(user=user, is_active=True).values_list(
            "organisation_id", flat=True
        )
    )


# -- Who manages what -----------------------------------------------------------------------


def shelters_managed_by(*, user: User) -> QuerySet[Shelter]:
    """Shelters whose bed grid the user runs: a shelter manager of the owning
    organisation, or a person named on the shelter."""
    orgs = Membership.objects.filter(
        user=user, is_active=True, role=Role.SHELTER_MANAGER, organisation__is_active=True
    ).values("organisation_id")
    named = ShelterUserObjectPermission.objects.filter(
        user=user, permission__codename="change_shelter"
    ).values("content_object_id")
    return Shelter.objects.filter(Q(organisation_id__in=orgs) | Q(pk__in=named))


def organisations_for_new_shelters(*, user: User) -> QuerySet[Organisation]:
    """The organisations whose shelters the user may set up."""
    memberships = organisations_setting_up_shelters(user=user)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


def organisations_setting_up_shelters(*, user: User) -> QuerySet[Membership]:
    """Memberships whose organisation's shelters the user sets up: org admins and
    shelter managers."""
    return Membership.objects.filter(
        user=user,
        is_active=True,
        role__in=[Role.ORG_ADMIN, Role.SHELTER_MANAGER],
        organisation__is_active=True,
    ).select_related("organisation")


def shelters_set_up_by(*, user: User) -> QuerySet[Shelter]:
    """Shelters whose rooms and beds the user may add or rename: org admins too."""
    orgs = organisations_setting_up_shelters(user=user).values("organisation_id")
    return Shelter.objects.filter(organisation_id__in=orgs)


def shelter_get_for_manager(*, user: User, shelter_id: uuid.UUID | str) -> Shelter:
    shelters = shelters_managed_by(user=user).select_related("region", "organisation")
    return _one(shelters, shelter_id)


def shelter_get_for_setup(*, user: User, shelter_id: uuid.UUID | str) -> Shelter:
    return _one(shelters_set_up_by(user=user).select_related("region", "organisation"), shelter_id)


def bed_get_for_manager(*, user: User, bed_id: uuid.UUID | str) -> Bed:
    beds = Bed.objects.filter(shelter__in=shelters_managed_by(user=user))
    return _one(beds.select_related("shelter", "room"), bed_id)


def can_hold_beds(*, user: User) -> bool:
    """Caseworkers and supervisors hold beds for their cases, at any shelter."""
    return case_organisations(user=user).exists()


def bed_get_for_hold(*, bed_id: uuid.UUID | str) -> Bed:
    """Any bed of an active shelter: a caseworker of any center may hold it."""
    beds = Bed.objects.filter(shelter__is_active=True).select_related("shelter", "room")
    return _one(beds, bed_id)


def shelter_get_for_hold(*, shelter_id: uuid.UUID | str) -> Shelter:
    return _one(Shelter.objects.filter(is_active=True), shelter_id)


# -- The grid -------------------------------------------------------------------------------


@dataclass
class GridBed:
    """One bed; ``placements_shown`` is False for someone who sets the shelter up but does
    not run its grid (an org admin): she sees the bed as the setup page lists it, with no
    state and no hold or stay."""

    bed: Bed
    occupancy: Occupancy | None
    placements_shown: bool = True

    @property
    def state(self) -> str | None:
        """free, held, occupied or out_of_service: what the grid colours the bed by."""
        if not self.placements_shown:
            return None
        if self.occupancy is not None:
            return "held" if self.occupancy.kind == Occupancy.Kind.HOLD else "occupied"
        return "out_of_service" if self.bed.out_of_service else "free"


def _grid_occupancies(**where: Any) -> dict[uuid.UUID, Occupancy]:
    """bed id -> its live hold or stay, with what a tile shows of it."""
    live = active_occupancies().filter(**where)
    related = live.select_related("case__survivor", "case__organisation", "placed_by")
    return {o.bed_id: o for o in related}


def grid_bed(*, bed: Bed, user: User) -> GridBed:
    """One tile of the grid, after a click changed it: that bed alone, not the shelter;
    its hold or stay only for a manager of the shelter."""
    if not shelters_managed_by(user=user).filter(pk=bed.shelter_id).exists():
        return GridBed(bed=bed, occupancy=None, placements_shown=False)
    return GridBed(bed=bed, occupancy=_grid_occupancies(bed=bed).get(bed.pk))


def bed_grid(*, shelter: Shelter) -> list[tuple[Any, list[GridBed]]]:
    """Rooms with their beds and each bed's hold or stay, in three queries."""
    beds = list(shelter.beds.select_related("room").order_by("room__name", "label"))
    occupancies = _grid_occupancies(bed__shelter=shelter)
    rooms: dict[uuid.UUID, tuple[Any, list[GridBed]]] = {}
    for bed in beds:
        rooms.setdefault(bed.room_id, (bed.room, []))[1].append(
            GridBed(bed=bed, occupancy=occupancies.get(bed.pk))
        )
    return list(rooms.values())


def setup_rooms(*, shelter: Shelter) -> QuerySet[Room]:
    """The shelter's rooms with their beds, as its set-up people see them (no placements)."""
    return shelter.rooms.prefetch_related("beds").order_by("name")


@dataclass(frozen=True)
class ShelterBeds:
    shelter: Shelter
    beds: list[GridBed]


def shelter_beds_for_user(*, user: User, shelter_id: uuid.UUID | str) -> ShelterBeds:
    """A shelter's beds as the pages show them to this user, for the API's twin as well:
    a manager gets the grid (``bed_grid``: states, survivor codes, needs, placing center);
    someone who only sets the shelter up gets the setup page's list (``setup_rooms``);
    anyone else a 404, as on both pages."""
    try:
        shelter = shelter_get_for_manager(user=user, shelter_id=shelter_id)
    except Http404:
        shelter = shelter_get_for_setup(user=user, shelter_id=shelter_id)
        beds = [
            GridBed(bed=bed, occupancy=None, placements_shown=False)
            for room in setup_rooms(shelter=shelter)
            for bed in sorted(room.beds.all(), key=lambda b: b.label)
        ]
        return ShelterBeds(shelter=shelter, beds=beds)
    return ShelterBeds(
        shelter=shelter, beds=[b for _room, beds in bed_grid(shelter=shelter) for b in beds]
    )


def _live_holds(scope: Q) -> QuerySet[Occupancy]:
    return (
        active_occupancies()
        .filter(scope, kind=Occupancy.Kind.HOLD)
        .select_related("bed__room", "bed__shelter", "case__survivor", "case__organisation")
        .order_by("hold_expires_at")
    )


def _managed(user: User) -> Q:
    return Q(bed__shelter__in=shelters_managed_by(user=user))


def _of_cases(user: User, codename: str = "view_case") -> Q:
    return Q(case__in=Case.objects.filter(case_scope_q(user=user, codename=codename)))


def holds_for_manager(*, user: User) -> QuerySet[Occupancy]:
    return _live_holds(_managed(user))


def holds_for_caseworker(*, user: User) -> QuerySet[Occupancy]:
    """Holds on cases the user may see, placed by anyone of her center."""
    return _live_holds(_of_cases(user))


def holds_visible_to(*, user: User) -> QuerySet[Occupancy]:
    """Active holds the user may act on: her shelters' (manager) or her cases' (caseworker)."""
    return _live_holds(_managed(user) | _of_cases(user))


def hold_get(*, user: User, hold_id: uuid.UUID | str, as_manager: bool) -> Occupancy:
    """A hold the user manages the shelter of (to confirm), or one on her case (to release)."""
    holds = Occupancy.objects.filter(kind=Occupancy.Kind.HOLD).select_related(
        "bed__room", "bed__shelter", "case__survivor"
    )
    scope = _managed(user) if as_manager else _managed(user) | _of_cases(user, "change_case")
    holds = holds.filter(scope)
    return _one(holds, hold_id)


def _stays(scope: Q, *, current: bool) -> QuerySet[Occupancy]:
    stays = Occupancy.objects.filter(scope, kind=Occupancy.Kind.STAY)
    stays = stays.filter(ended_at__isnull=True) if current else stays
    return stays.select_related("bed__room", "bed__shelter", "case__survivor").order_by(
        "-admitted_on", "-created_at"
    )


def stays_for_manager(*, user: User, current: bool = True) -> QuerySet[Occupancy]:
    return _stays(_managed(user), current=current)


def stays_visible_to(*, user: User, current: bool = True) -> QuerySet[Occupancy]:
    """Stays in the user's shelters (manager) or of her cases (caseworker)."""
    return _stays(_managed(user) | _of_cases(user), current=current)


def stay_get_for_manager(*, user: User, stay_id: uuid.UUID | str) -> Occupancy:
    return _one(stays_for_manager(user=user, current=False), stay_id)


def case_for_admission(*, shelter: Shelter, survivor_code: str) -> Case | None:
    """The open case behind a survivor code, among the shelter's own organisation's cases.

    The manager never sees the case file: the code and the stay's needs are all she
    types and all she is shown. A code from another center comes through a hold.
    """
    return (
        Case.objects.filter(
            organisation_id=shelter.organisation_id,
            survivor__code__iexact=survivor_code.strip(),
        )
        .exclude(status=Case.Status.CLOSED)
        .select_related("survivor")
        .order_by("-opened_on")
        .first()
    )


def case_shelter_placements(*, case: Case) -> QuerySet[Occupancy]:
    """The case's holds and stays, newest first, for the case page."""
    return (
        Occupancy.objects.filter(case=case, accompanies__isnull=True)
        .select_related("bed__room", "bed__shelter__region")
        .order_by("-created_at")
    )


def turn_aways_visible_to(*, user: User) -> QuerySet[TurnAway]:
    """Turn-aways at shelters of the user's organisations, or recorded by her center."""
    own = member_organisations(user=user)
    return TurnAway.objects.filter(
        Q(shelter__organisation_id__in=own) | Q(requesting_organisation_id__in=own)
    ).select_related("shelter", "requesting_organisation")


def turn_away_figures(*, turn_aways: QuerySet[TurnAway]) -> list[dict[str, Any]]:
    """People turned away by reason: what advocacy letters quote."""
    return list(
        turn_aways.values("reason")
        .annotate(requests=Count("pk"), people=Sum("people"))
        .order_by("reason")
    )


def turn_away_shelters_for(*, user: User) -> QuerySet[Shelter]:
    """Where the user may record a turn-away: her own shelters (manager), or any active
    shelter of the network that turned down her center's request (caseworker)."""
    if case_organisations(user=user).exists():
        return Shelter.objects.filter(is_active=True)
    return shelters_managed_by(user=user).filter(is_active=True)


def requesting_organisation_for(*, user: User, shelter: Shelter) -> Organisation | None:
    """The center whose request was turned down: the caseworker's own, unless she records
    it as the shelter's manager (then the request came from outside the network)."""
    if shelters_managed_by(user=user).filter(pk=shelter.pk).exists():
        return None
    return (
        Organisation.objects.filter(pk__in=case_organisations(user=user).values("organisation_id"))
        .order_by("name")
        .first()
    )


def shelters_listed_for(*, user: User) -> QuerySet[Shelter]:
    """The network's active shelters, and closed ones the user sets up (to reopen them)."""
    return (
        Shelter.objects.filter(
            Q(is_active=True) | Q(pk__in=shelters_set_up_by(user=user).values("pk"))
        )
        .select_related("region", "organisation")
        .order_by("name", "pk")
    )


def shelter_get_for_member(*, user: User, shelter_id: uuid.UUID | str) -> Shelter:
    return _one(shelters_listed_for(user=user), shelter_id)
