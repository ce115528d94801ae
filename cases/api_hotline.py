"""Anonymous hotline calls over the API: list, record, read one, link it to her case."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors, services_hotline
from cases.api import acting_organisation_given
from cases.models import HotlineCall
from cases.serializers_hotline import (
    HotlineCallCreateSerializer,
    HotlineCallLinkSerializer,
    HotlineCallSerializer,
)
from crisis_ops.core.typing import api_user


class HotlineCallList(generics.ListCreateAPIView[HotlineCall]):
    """The calls of the centers she does case work for; record a call (categories only)."""

    serializer_class = HotlineCallSerializer

    def get_queryset(self) -> QuerySet[HotlineCall]:
        return selectors.hotline_calls_for_user(user=api_user(self.request))

    @extend_schema(request=HotlineCallCreateSerializer, responses={201: HotlineCallSerializer})
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        actor = api_user(request)
        given = HotlineCallCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        centers = selectors.acting_organisation_choices(user=actor)
        if not centers:
            raise PermissionDenied(_("Only case staff record hotline calls."))
        if "organisation" in data:
            organisation = acting_organisation_given(actor, data.pop("organisation"))
        elif len(centers) == 1:
            organisation = centers[0]
        else:
            raise ValidationError(
                {"organisation": [_("You work for more than one center: say which one.")]}
            )
        data["violence_types"] = sorted(data["violence_types"])
        call = services_hotline.hotline_call_record(actor=actor, organisation=organisation, **data)
        return Response(HotlineCallSerializer(call).data, status=status.HTTP_201_CREATED)


class HotlineCallDetail(generics.RetrieveAPIView[HotlineCall]):
    serializer_class = HotlineCallSerializer

    def get_object(self) -> HotlineCall:
        return selectors.hotline_call_get_for_user(
            user=api_user(self.request), call_id=self.kwargs["call_id"]
        )


class HotlineCallLink(APIView):
    """She came in and has a case now: link the call to it, so she is counted once."""

    @extend_schema(request=HotlineCallLinkSerializer, responses=HotlineCallSerializer)
    def post(self, request: Request, call_id: uuid.UUID) -> Response:
        actor = api_user(request)
        call = selectors.hotline_call_get_for_user(user=actor, call_id=call_id)
        given = HotlineCallLinkSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = selectors.case_get_for_user(
            user=actor, case_id=given.validated_data["case"], for_change=True
        )
        linked = services_hotline.hotline_call_link_existing(actor=actor, call=call, case=case)
        return Response(HotlineCallSerializer(linked).data)
