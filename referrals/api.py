"""Partners and referrals over the API, one view per operation.

Access goes through the selectors (404 for what the caller may not see), writes
through the services; what a referral shares comes from ``services.referral_open``
only, which audits the read.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import case_get_for_user
from crisis_ops.core.typing import api_user
from referrals import directory, selectors, services
from referrals.models import Partner, Referral
from referrals.serializers import (
    CompleteSerializer,
    DeclineSerializer,
    PartnerFilterSerializer,
    PartnerSerializer,
    PartnerWriteSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralFilterSerializer,
    ReferralSerializer,
    TransferRequestSerializer,
)


def _context(request: Request) -> dict[str, Any]:
    return {"sender_organisations": set(selectors.case_organisation_ids(user=api_user(request)))}


def _detail(request: Request, referral: Referral, *, code: int = 200) -> Response:
    shared = services.referral_open(actor=api_user(request), referral=referral)
    context = {**_context(request), "shared": shared}
    return Response(ReferralDetailSerializer(referral, context=context).data, status=code)


def _referral(request: Request, referral_id: uuid.UUID) -> Referral:
    return selectors.referral_get_for_user(user=api_user(request), referral_id=referral_id)


@extend_schema_view(
    get=extend_schema(parameters=[PartnerFilterSerializer]),
    post=extend_schema(request=PartnerWriteSerializer, responses={201: PartnerSerializer}),
)
class PartnerListCreate(generics.ListCreateAPIView[Partner]):
    """The partner directory: the network's list and your organisation's; admins add to it."""

    serializer_class = PartnerSerializer

    def get_queryset(self) -> QuerySet[Partner]:
        filters = PartnerFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.partner_list_for_user(
            user=api_user(self.request), **filters.validated_data
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = PartnerWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        partner = directory.partner_create(actor=api_user(request), **given.validated_data)
        partner = selectors.partner_get_for_user(user=api_user(request), partner_id=partner.pk)
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)


class PartnerDetail(APIView):
    """One partner; its organisation's admin changes it."""

    http_method_names = ["get", "patch", "options"]

    @extend_schema(responses=PartnerSerializer)
    def get(self, request: Request, partner_id: uuid.UUID) -> Response:
        partner = selectors.partner_get_for_user(user=api_user(request), partner_id=partner_id)
        return Response(PartnerSerializer(partner).data)

    @extend_schema(request=PartnerWriteSerializer, responses=PartnerSerializer)
    def patch(self, request: Request, partner_id: uuid.UUID) -> Response:
        actor = api_user(request)
        partner = selectors.partner_get_for_user(user=actor, partner_id=partner_id, for_change=True)
        given = PartnerWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        directory.partner_update(actor=actor, partner=partner, **given.validated_data)
        partner = selectors.partner_get_for_user(user=actor, partner_id=partner_id)
        return Response(PartnerSerializer(partner).data)


@extend_schema_view(
    get=extend_schema(
        parameters=[ReferralFilterSerializer],
        responses={200: ReferralSerializer(many=True)},
    ),
    post=extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralDetailSerializer},
    ),
)
class ReferralListCreate(generics.ListCreateAPIView[Referral]):
    """Referrals to and from your centers, newest first; send one from a case."""

    serializer_class = ReferralSerializer

    def get_queryset(self) -> QuerySet[Referral]:
        filters = ReferralFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.referral_list_for_user(
            user=api_user(self.request), **filters.validated_data
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_context(self.request)}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ReferralCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        actor = api_user(request)
        case = case_get_for_user(user=actor, case_id=data.pop("case"), for_change=True)
        partner = selectors.partner_get_for_user(user=actor, partner_id=data.pop("partner"))
        referral = services.referral_send(actor=actor, case=case, partner=partner, **data)
        return _detail(request, _referral(request, referral.pk), code=status.HTTP_201_CREATED)


class ReferralDetail(APIView):
    """One referral, with the parts of the case it shares with you now."""

    @extend_schema(responses={200: ReferralDetailSerializer})
    def get(self, request: Request, referral_id: uuid.UUID) -> Response:
        return _detail(request, _referral(request, referral_id))


class ReferralAccept(APIView):
    """Accept a referral sent to your center (or record a partner's acceptance)."""

    @extend_schema(request=None, responses={200: ReferralDetailSerializer})
    def post(self, request: Request, referral_id: uuid.UUID) -> Response:
        referral = services.referral_accept(
            actor=api_user(request), referral=_referral(request, referral_id)
        )
        return _detail(request, _referral(request, referral.pk))


class ReferralDecline(APIView):
    """Decline a referral, with a reason from the fixed list."""

    @extend_schema(request=DeclineSerializer, responses={200: ReferralDetailSerializer})
    def post(self, request: Request, referral_id: uuid.UUID) -> Response:
        referral = _referral(request, referral_id)
        given = DeclineSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.referral_decline(
            actor=api_user(request), referral=referral, reason=given.validated_data["reason"]
        )
        return _detail(request, _referral(request, referral_id))


class ReferralComplete(APIView):
    """Complete an accepted referral with its outcome; the access it gave ends."""

    @extend_schema(request=CompleteSerializer, responses={200: ReferralDetailSerializer})
    def post(self, request: Request, referral_id: uuid.UUID) -> Response:
        referral = _referral(request, referral_id)
        given = CompleteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.referral_complete(
            actor=api_user(request), referral=referral, outcome=given.validated_data["outcome"]
        )
        return _detail(request, _referral(request, referral_id))


class ReferralCancel(APIView):
    """Cancel a referral your center sent, before it is completed."""

    @extend_schema(request=None, responses={200: ReferralDetailSerializer})
    def post(self, request: Request, referral_id: uuid.UUID) -> Response:
        services.referral_cancel(actor=api_user(request), referral=_referral(request, referral_id))
        return _detail(request, _referral(request, referral_id))


class ReferralRequestTransfer(APIView):
    """Ask, on a referral your center accepted, for responsibility for her case.

    Creates a referral of kind ``transfer_request`` to the center whose case it is;
    that center answers it with ``accept`` or ``decline`` like any referral, and
    accepting moves the case to your center.
    """

    @extend_schema(
        request=TransferRequestSerializer,
        responses={201: ReferralDetailSerializer},
    )
    def post(self, request: Request, referral_id: uuid.UUID) -> Response:
        referral = _referral(request, referral_id)
        given = TransferRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        created = services.transfer_request_send(
            actor=api_user(request), referral=referral, **given.validated_data
        )
        return _detail(request, _referral(request, created.pk), code=status.HTTP_201_CREATED)


class CaseReferralList(generics.ListAPIView[Referral]):
    """One case's referrals and transfer requests, newest first."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_context(self.request)}

    def get_queryset(self) -> QuerySet[Referral]:
        user = api_user(self.request)
        case = case_get_for_user(user=user, case_id=self.kwargs["case_id"])
        return selectors.referrals_for_case(user=user, case_id=case.pk)
