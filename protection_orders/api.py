"""Protection orders over the API, one view per operation (the caller's reminders are
crisis_ops/notifications/api.py).

Access is that of the order's case (404 for an order the caller may not see or
change); writes go through the services. Responses that show an order's
encrypted content write one ``case.viewed`` audit row, as the case API does.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import services as case_services
from cases.selectors import case_get_for_user
from crisis_ops.core.typing import api_user
from protection_orders import selectors, services
from protection_orders.models import PoliceCheck, ProtectionOrder, Violation
from protection_orders.serializers import (
    PoliceCheckCreateSerializer,
    PoliceCheckSerializer,
    ProtectionOrderCreateSerializer,
    ProtectionOrderDetailSerializer,
    ProtectionOrderSerializer,
    ViolationCreateSerializer,
    ViolationSerializer,
)

_M = TypeVar("_M", bound=Model)


def _order(request: Request, order_id: uuid.UUID, *, for_change: bool = False) -> ProtectionOrder:
    return selectors.order_get_for_user(
        user=api_user(request), order_id=order_id, for_change=for_change
    )


def _order_read(request: Request, order_id: uuid.UUID) -> ProtectionOrder:
    order = _order(request, order_id)
    case_services.case_record_read(actor=api_user(request), case=order.case)
    return order


@extend_schema_view(
    post=extend_schema(
        request=ProtectionOrderCreateSerializer, responses={201: ProtectionOrderDetailSerializer}
    )
)
class OrderListCreate(generics.ListCreateAPIView[ProtectionOrder]):
    """Orders on the cases the caller may see, latest issued first; record a new one on a case."""

    serializer_class = ProtectionOrderSerializer

    def get_queryset(self) -> QuerySet[ProtectionOrder]:
        return selectors.order_list_for_user(user=api_user(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ProtectionOrderCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        actor = api_user(request)
        case = case_get_for_user(user=actor, case_id=data.pop("case"), for_change=True)
        order = services.order_create(actor=actor, case=case, **data)
        return Response(ProtectionOrderDetailSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetail(APIView):
    """One order with its conditions and police-check due dates."""

    @extend_schema(responses=ProtectionOrderDetailSerializer)
    def get(self, request: Request, order_id: uuid.UUID) -> Response:
        return Response(ProtectionOrderDetailSerializer(_order_read(request, order_id)).data)


class _OrderChildren(generics.ListCreateAPIView[_M]):
    """A list under one order. Listing it reads the case; adding to it changes it."""

    create_serializer_class: type[serializers.Serializer[Any]]

    def rows(self, order: ProtectionOrder) -> QuerySet[_M]:
        raise NotImplementedError

    def add(self, order: ProtectionOrder, data: dict[str, Any]) -> _M:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.rows(_order_read(request, kwargs["order_id"])))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = _order(request, kwargs["order_id"], for_change=True)
        given = self.create_serializer_class(data=request.data)
        given.is_valid(raise_exception=True)
        created = self.add(order, dict(given.validated_data))
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema_view(post=extend_schema(request=PoliceCheckCreateSerializer))
class PoliceCheckListCreate(_OrderChildren[PoliceCheck]):
    """Police checks of an order, latest first; record another one."""

    queryset = PoliceCheck.objects.none()
    serializer_class = PoliceCheckSerializer
    create_serializer_class = PoliceCheckCreateSerializer

    def rows(self, order: ProtectionOrder) -> QuerySet[PoliceCheck]:
        return order.checks.order_by("-checked_on", "-created_at")

    def add(self, order: ProtectionOrder, data: dict[str, Any]) -> PoliceCheck:
        return services.police_check_record(actor=api_user(self.request), order=order, **data)


@extend_schema_view(post=extend_schema(request=ViolationCreateSerializer))
class ViolationListCreate(_OrderChildren[Violation]):
    """Violations of an order, latest first; record another one."""

    queryset = Violation.objects.none()
    serializer_class = ViolationSerializer
    create_serializer_class = ViolationCreateSerializer

    def rows(self, order: ProtectionOrder) -> QuerySet[Violation]:
        return order.violations.order_by("-occurred_on", "-created_at")

    def add(self, order: ProtectionOrder, data: dict[str, Any]) -> Violation:
        return services.violation_record(actor=api_user(self.request), order=order, **data)
