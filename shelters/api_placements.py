"""Holds and stays over the API: hold a bed, confirm or release a hold, admit, change
and discharge a stay. A bed lost to a faster request is 409, never a 500."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import case_get_for_user
from crisis_ops.accounts.models import User
from crisis_ops.core.typing import api_user
from shelters import selectors
from shelters import services_placements as placements
from shelters.api import WorksWithBeds, bed_write, case_staff, children_beds
from shelters.models import Occupancy
from shelters.serializers_placements import (
    HoldConfirmSerializer,
    HoldCreateSerializer,
    HoldSerializer,
    StayAdmitSerializer,
    StayDischargeSerializer,
    StayFilterSerializer,
    StaySerializer,
    StayUpdateSerializer,
    StayWithWarningsSerializer,
)

# -- Holds ----------------------------------------------------------------------------------


@extend_schema_view(
    post=extend_schema(request=HoldCreateSerializer, responses={201: HoldSerializer})
)
class HoldListCreate(generics.ListCreateAPIView[Occupancy]):
    """Holds the caller may act on, soonest to expire first; hold a bed for 90 minutes."""

    serializer_class = HoldSerializer
    permission_classes = [WorksWithBeds]

    def get_queryset(self) -> QuerySet[Occupancy]:
        return selectors.holds_visible_to(user=api_user(self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **case_staff(api_user(self.request))}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_user(request)
        if not selectors.can_hold_beds(user=actor):
            raise exceptions.PermissionDenied(_("Only case staff hold beds for their cases."))
        given = HoldCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        case = case_get_for_user(user=actor, case_id=data["case"], for_change=True)
        if "bed" in data:
            bed = selectors.bed_get_for_hold(bed_id=data["bed"])
            hold = bed_write(
                lambda: placements.hold_place(actor=actor, bed=bed, case=case, needs=data["needs"])
            )
        else:
            shelter = selectors.shelter_get_for_hold(shelter_id=data["shelter"])
            hold = bed_write(
                lambda: placements.hold_any_free(
                    actor=actor,
                    shelter=shelter,
                    kind=data["kind"],
                    case=case,
                    needs=data["needs"],
                    wheelchair_accessible=data["wheelchair_accessible"],
                )
            )
        body = HoldSerializer(hold, context=case_staff(actor)).data
        return Response(body, status=status.HTTP_201_CREATED)


def _stay_body(user: User, stay: Occupancy, warnings: list[str]) -> dict[str, Any]:
    return {**StaySerializer(stay, context=case_staff(user)).data, "warnings": warnings}


class HoldConfirm(APIView):
    """The shelter's manager confirms a hold: it becomes the stay, with children's beds."""

    @extend_schema(request=HoldConfirmSerializer, responses=StayWithWarningsSerializer)
    def post(self, request: Request, hold_id: uuid.UUID) -> Response:
        actor = api_user(request)
        hold = selectors.hold_get(user=actor, hold_id=hold_id, as_manager=True)
        given = HoldConfirmSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        children = children_beds(actor, hold.bed.shelter, data["children_beds"])
        stay, warnings = bed_write(
            lambda: placements.hold_confirm(
                actor=actor, hold=hold, expected_end=data["expected_end"], children_beds=children
            )
        )
        return Response(_stay_body(actor, stay, warnings))


class HoldRelease(APIView):
    """Release a hold: the shelter's manager, or the staff of the case it was placed for."""

    @extend_schema(request=None, responses=HoldSerializer)
    def post(self, request: Request, hold_id: uuid.UUID) -> Response:
        actor = api_user(request)
        hold = selectors.hold_get(user=actor, hold_id=hold_id, as_manager=False)
        hold = bed_write(lambda: placements.hold_release(actor=actor, hold=hold))
        return Response(HoldSerializer(hold, context=case_staff(actor)).data)


# -- Stays ----------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(parameters=[StayFilterSerializer]),
    post=extend_schema(request=StayAdmitSerializer, responses={201: StayWithWarningsSerializer}),
)
class StayListCreate(generics.ListCreateAPIView[Occupancy]):
    """Current stays in the caller's shelters or of her cases (``current=false``: ended too);
    a shelter manager admits by survivor code."""

    serializer_class = StaySerializer
    permission_classes = [WorksWithBeds]

    def get_queryset(self) -> QuerySet[Occupancy]:
        filters = StayFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.stays_visible_to(
            user=api_user(self.request), current=filters.validated_data["current"]
        ).select_related("case__organisation")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **case_staff(api_user(self.request))}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_user(request)
        if not selectors.shelters_managed_by(user=actor).exists():
            raise exceptions.PermissionDenied(_("Only a shelter manager admits residents."))
        given = StayAdmitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        bed = selectors.bed_get_for_manager(user=actor, bed_id=data["bed"])
        case = selectors.case_for_admission(
            shelter=bed.shelter, survivor_code=data["survivor_code"]
        )
        if case is None:
            raise exceptions.ValidationError(
                {"survivor_code": [_("No open case of this shelter's center has this code.")]}
            )
        children = children_beds(actor, bed.shelter, data["children_beds"])
        stay, warnings = bed_write(
            lambda: placements.stay_admit(
                actor=actor,
                bed=bed,
                case=case,
                admitted_on=data["admitted_on"],
                expected_end=data["expected_end"],
                needs=data["needs"],
                children_beds=children,
            )
        )
        return Response(_stay_body(actor, stay, warnings), status=status.HTTP_201_CREATED)


class StayDetail(APIView):
    """One stay in the manager's shelter; move its expected end or change the needs."""

    http_method_names = ["get", "patch", "options"]

    @extend_schema(responses=StaySerializer)
    def get(self, request: Request, stay_id: uuid.UUID) -> Response:
        user = api_user(request)
        stay = selectors.stay_get_for_manager(user=user, stay_id=stay_id)
        return Response(StaySerializer(stay, context=case_staff(user)).data)

    @extend_schema(request=StayUpdateSerializer, responses=StayWithWarningsSerializer)
    def patch(self, request: Request, stay_id: uuid.UUID) -> Response:
        actor = api_user(request)
        stay = selectors.stay_get_for_manager(user=actor, stay_id=stay_id)
        changes = StayUpdateSerializer(data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        data = changes.validated_data
        stay, warnings = bed_write(
            lambda: placements.stay_update(
                actor=actor,
                stay=stay,
                expected_end=data.get("expected_end", stay.expected_end),
                needs=data.get("needs"),
            )
        )
        return Response(_stay_body(actor, stay, warnings))


class StayDischarge(APIView):
    """End a stay with its outcome; her children's stays end with it."""

    @extend_schema(request=StayDischargeSerializer, responses=StaySerializer)
    def post(self, request: Request, stay_id: uuid.UUID) -> Response:
        actor = api_user(request)
        stay = selectors.stay_get_for_manager(user=actor, stay_id=stay_id)
        given = StayDischargeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        outcome = given.validated_data["outcome"]
        stay = bed_write(lambda: placements.stay_discharge(actor=actor, stay=stay, outcome=outcome))
        return Response(StaySerializer(stay, context=case_staff(actor)).data)
