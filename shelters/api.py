"""Shelters, beds, turn-aways and the availability board over the API; holds and stays
are in ``api_placements``, on the helpers here.

One view per operation: a selector finds what the caller may touch (404 outside her
scope, 403 for a role with no business there), a serializer checks the input, a
service writes. A bed lost to a faster request is 409 with the one message the pages
show too, never a 500.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import case_organisations
from crisis_ops.accounts.models import User
from crisis_ops.core.api import IsVerifiedUser
from crisis_ops.core.typing import api_user
from shelters import board, selectors, services
from shelters.concurrency import BedTaken
from shelters.models import Bed, Shelter, TurnAway
from shelters.serializers import (
    AvailabilityFilterSerializer,
    BedCreateSerializer,
    BedUpdateSerializer,
    BoardRowSerializer,
    GridBedSerializer,
    ShelterCreateSerializer,
    ShelterSerializer,
    ShelterUpdateSerializer,
    TurnAwayCreateSerializer,
    TurnAwayFilterSerializer,
    TurnAwaySerializer,
)

_T = TypeVar("_T")


class BedTakenConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This bed was just taken. Choose another one.")
    default_code = "bed_taken"


def bed_write(write: Callable[[], _T]) -> _T:
    """Run a write that takes or changes beds; losing a race to another request is 409.

    The services raise BedTaken when the one-occupant-per-bed index refuses the insert,
    or when a deadlock was lost three times (they retry it themselves, for pages too).
    """
    try:
        return write()
    except BedTaken as exc:
        raise BedTakenConflict(str(exc)) from exc


def _own(user: User) -> dict[str, Any]:
    """Serializer context: the address shows only inside the shelter's own organisation."""
    return {"own": set(selectors.member_organisations(user=user))}


def case_staff(user: User) -> dict[str, Any]:
    """Serializer context: the case id shows only to the staff of the case's own center."""
    return {"case_orgs": {row["organisation_id"] for row in case_organisations(user=user)}}


def _works_with_beds(user: User) -> bool:
    return selectors.can_hold_beds(user=user) or selectors.shelters_managed_by(user=user).exists()


def children_beds(user: User, shelter: Shelter, bed_ids: Sequence[uuid.UUID]) -> list[Bed]:
    beds = []
    for bed_id in bed_ids:
        try:
            bed = selectors.bed_get_for_manager(user=user, bed_id=bed_id)
        except Http404:
            bed = None
        if bed is None or bed.shelter_id != shelter.pk:
            raise exceptions.ValidationError(
                {"children_beds": [_("Choose children's beds of this shelter.")]}
            )
        beds.append(bed)
    return beds


class WorksWithBeds(IsVerifiedUser):
    """Caseworkers and supervisors (their cases' holds and stays), shelter managers (theirs)."""

    # Lazy, so the message is rendered in the caller's language.
    message = gettext_lazy(  # type: ignore[assignment]
        "Only case staff and shelter managers work with holds and stays."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and _works_with_beds(api_user(request))


# -- Shelters and beds ----------------------------------------------------------------------


@extend_schema_view(
    post=extend_schema(request=ShelterCreateSerializer, responses={201: ShelterSerializer})
)
class ShelterListCreate(generics.ListCreateAPIView[Shelter]):
    """The network's active shelters (the address only for their own organisation); set one up."""

    serializer_class = ShelterSerializer

    def get_queryset(self) -> QuerySet[Shelter]:
        return selectors.shelters_listed_for(user=api_user(self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_own(api_user(self.request))}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_user(request)
        organisations = {
            m.organisation_id: m.organisation
            for m in selectors.organisations_setting_up_shelters(user=actor)
        }
        if not organisations:
            raise exceptions.PermissionDenied(
                _("Only an organisation admin or a shelter manager sets up shelters.")
            )
        given = ShelterCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        organisation_id = data.pop("organisation", None)
        if organisation_id is None and len(organisations) == 1:
            organisation_id = next(iter(organisations))
        if organisation_id not in organisations:
            raise exceptions.ValidationError(
                {"organisation": [_("Choose an organisation whose shelters you set up.")]}
            )
        shelter = services.shelter_create(
            actor=actor, organisation=organisations[organisation_id], **data
        )
        body = ShelterSerializer(shelter, context=_own(actor)).data
        return Response(body, status=status.HTTP_201_CREATED)


class ShelterDetail(APIView):
    """One shelter; its organisation's admins and shelter managers change or close it."""

    http_method_names = ["get", "patch", "options"]

    @extend_schema(responses=ShelterSerializer)
    def get(self, request: Request, shelter_id: uuid.UUID) -> Response:
        user = api_user(request)
        shelter = selectors.shelter_get_for_member(user=user, shelter_id=shelter_id)
        return Response(ShelterSerializer(shelter, context=_own(user)).data)

    @extend_schema(request=ShelterUpdateSerializer, responses=ShelterSerializer)
    def patch(self, request: Request, shelter_id: uuid.UUID) -> Response:
        actor = api_user(request)
        shelter = selectors.shelter_get_for_setup(user=actor, shelter_id=shelter_id)
        changes = ShelterUpdateSerializer(data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        shelter = services.shelter_update(actor=actor, shelter=shelter, **changes.validated_data)
        return Response(ShelterSerializer(shelter, context=_own(actor)).data)


def _grid_bed(bed: Bed, user: User) -> dict[str, Any]:
    return dict(GridBedSerializer(selectors.grid_bed(bed=bed, user=user)).data)


class ShelterBeds(APIView):
    """Every bed of a shelter with its state and, when taken, the survivor code and needs."""

    @extend_schema(responses=GridBedSerializer(many=True))
    def get(self, request: Request, shelter_id: uuid.UUID) -> Response:
        found = selectors.shelter_beds_for_user(user=api_user(request), shelter_id=shelter_id)
        return Response(GridBedSerializer(found.beds, many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=BedCreateSerializer, responses={201: GridBedSerializer})
    def post(self, request: Request, shelter_id: uuid.UUID) -> Response:
        actor = api_user(request)
        shelter = selectors.shelter_get_for_setup(user=actor, shelter_id=shelter_id)
        given = BedCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        room_name = data.pop("room").strip()

        def add() -> Bed:
            # A new room and its first bed, or neither.
            with transaction.atomic():
                room = shelter.rooms.filter(name=room_name).first() or services.room_create(
                    actor=actor, shelter=shelter, name=room_name
                )
                return services.bed_create(actor=actor, room=room, **data)

        try:
            bed = bed_write(add)
        except IntegrityError as exc:  # the same label added by two requests at once
            raise exceptions.ValidationError(
                {"label": [_("This room already has a bed with that label.")]}
            ) from exc
        return Response(_grid_bed(bed, actor), status=status.HTTP_201_CREATED)


class BedDetail(APIView):
    """One click on the grid: out of service, isolation, accessibility or kind (managers)."""

    http_method_names = ["patch", "options"]

    @extend_schema(request=BedUpdateSerializer, responses=GridBedSerializer)
    def patch(self, request: Request, shelter_id: uuid.UUID, bed_id: uuid.UUID) -> Response:
        actor = api_user(request)
        bed = selectors.bed_get_for_manager(user=actor, bed_id=bed_id)
        if bed.shelter_id != shelter_id:
            raise Http404
        changes = BedUpdateSerializer(data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        bed = bed_write(lambda: services.bed_update(actor=actor, bed=bed, **changes.validated_data))
        return Response(_grid_bed(bed, actor))


@extend_schema(parameters=[AvailabilityFilterSerializer])
class Availability(APIView):
    """Free beds by kind for every active shelter; ``kind``/``accessible`` keep those with one."""

    @extend_schema(responses=BoardRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = AvailabilityFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        rows = board.availability_board(
            user=api_user(request),
            region_id=wanted.get("region"),
            kind=wanted.get("kind", ""),
            accessible=wanted["accessible"],
        )
        return Response(BoardRowSerializer(rows, many=True).data)  # type: ignore[arg-type]


# -- Turn-aways -----------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(parameters=[TurnAwayFilterSerializer]),
    post=extend_schema(request=TurnAwayCreateSerializer, responses={201: TurnAwaySerializer}),
)
class TurnAwayListCreate(generics.ListCreateAPIView[TurnAway]):
    """Requests for a bed that could not be met, at the caller's shelters or from her center;
    managers record them for their shelters, case staff for any shelter that said no."""

    serializer_class = TurnAwaySerializer

    def get_queryset(self) -> QuerySet[TurnAway]:
        filters = TurnAwayFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        rows = selectors.turn_aways_visible_to(user=api_user(self.request))
        if "from" in filters.validated_data:
            rows = rows.filter(occurred_on__gte=filters.validated_data["from"])
        if "to" in filters.validated_data:
            rows = rows.filter(occurred_on__lte=filters.validated_data["to"])
        return rows

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_user(request)
        if not _works_with_beds(actor):
            raise exceptions.PermissionDenied(
                _("Only case staff and shelter managers record turn-aways.")
            )
        given = TurnAwayCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        shelter = get_object_or_404(
            selectors.turn_away_shelters_for(user=actor), pk=data.pop("shelter")
        )
        turn_away = services.turn_away_record(
            actor=actor,
            shelter=shelter,
            requesting_organisation=selectors.requesting_organisation_for(
                user=actor, shelter=shelter
            ),
            **data,
        )
        return Response(TurnAwaySerializer(turn_away).data, status=status.HTTP_201_CREATED)
