"""The retention API, from the same selectors and services as the pages.

Org admins: their organisations' policy (GET/PUT), what is held and why, legal holds set
by hand. Supervisors and org admins: erasure requests (a supervisor asks, another person
who is an org admin confirms).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crisis_ops.core.api import IsVerifiedUser
from crisis_ops.core.typing import api_user
from crisis_ops.retention import registry, selectors, services
from crisis_ops.retention.serializers import (
    ErasureCreateSerializer,
    ErasureRequestSerializer,
    HeldCaseSerializer,
    LegalHoldCreateSerializer,
    LegalHoldSerializer,
    PolicySerializer,
)


class IsOrgAdmin(IsVerifiedUser):
    message = str(_("Only an organisation admin manages retention."))

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        return selectors.administered_organisations(user=api_user(request)).exists()


class SeesErasure(IsVerifiedUser):
    message = str(_("Only a supervisor or an organisation admin sees erasure requests."))

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        return selectors.user_sees_erasure(user=api_user(request))


def _policy_data(organisation: Any) -> dict[str, Any]:
    policy = selectors.policy_for(organisation=organisation)
    return {
        "organisation_id": organisation.pk,
        "years": policy.years,
        "rules": selectors.policy_rules(policy=policy),
        "kinds": [{"key": k.key, "label": str(k.label)} for k in registry.case_kinds()],
    }


class PolicyDetail(APIView):
    """An organisation's retention policy: years a closed case is kept, per kind of case."""

    permission_classes = [IsOrgAdmin]

    @extend_schema(responses=PolicySerializer)
    def get(self, request: Request, organisation_id: uuid.UUID) -> Response:
        organisation = selectors.organisation_get_for_admin(
            user=api_user(request), organisation_id=organisation_id
        )
        return Response(PolicySerializer(_policy_data(organisation)).data)

    @extend_schema(request=PolicySerializer, responses=PolicySerializer)
    def put(self, request: Request, organisation_id: uuid.UUID) -> Response:
        user = api_user(request)
        organisation = selectors.organisation_get_for_admin(
            user=user, organisation_id=organisation_id
        )
        body = PolicySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        known = {kind.key for kind in registry.case_kinds()}
        given: dict[str, int | None] = dict(body.validated_data["rules"])
        # PUT replaces: a kind left out goes back to the default.
        rules = {kind: given.get(kind) for kind in known} | given
        services.policy_save(
            actor=user,
            organisation=organisation,
            years=body.validated_data["years"],
            rules=rules,
        )
        return Response(PolicySerializer(_policy_data(organisation)).data)


class HeldList(APIView):
    """Cases due within 30 days that a legal hold keeps, with why, for each organisation."""

    permission_classes = [IsOrgAdmin]

    @extend_schema(responses=HeldCaseSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = [
            {"organisation_id": organisation.pk, "case_reference": reference, "reasons": reasons}
            for organisation, blocked in selectors.holds_for_admin(user=api_user(request))
            for due in blocked
            for reference, reasons in due.holds.items()
        ]
        return Response(HeldCaseSerializer(rows, many=True).data)


class LegalHoldListCreate(APIView):
    """Legal holds set by hand (not released); set one on a case by its reference."""

    permission_classes = [IsOrgAdmin]

    @extend_schema(responses=LegalHoldSerializer(many=True))
    def get(self, request: Request) -> Response:
        holds = selectors.manual_holds_for_admin(user=api_user(request))
        return Response(LegalHoldSerializer(holds, many=True).data)

    @extend_schema(request=LegalHoldCreateSerializer, responses={201: LegalHoldSerializer})
    def post(self, request: Request) -> Response:
        user = api_user(request)
        body = LegalHoldCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = selectors.organisation_get_for_admin(
            user=user, organisation_id=data.pop("organisation_id")
        )
        hold = services.legal_hold_set(actor=user, organisation=organisation, **data)
        return Response(LegalHoldSerializer(hold).data, status=201)


class LegalHoldRelease(APIView):
    permission_classes = [IsOrgAdmin]

    @extend_schema(request=None, responses=LegalHoldSerializer)
    def post(self, request: Request, hold_id: uuid.UUID) -> Response:
        user = api_user(request)
        hold = selectors.manual_hold_get_for_admin(user=user, hold_id=hold_id)
        return Response(
            LegalHoldSerializer(services.legal_hold_release(actor=user, hold=hold)).data
        )


class ErasureListCreate(APIView):
    """Erasure requests of her organisations; a supervisor asks for one by case reference."""

    permission_classes = [SeesErasure]

    @extend_schema(responses=ErasureRequestSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = selectors.erasure_requests_for_user(user=api_user(request))[:200]
        return Response(ErasureRequestSerializer(rows, many=True).data)

    @extend_schema(request=ErasureCreateSerializer, responses={201: ErasureRequestSerializer})
    def post(self, request: Request) -> Response:
        body = ErasureCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        erasure = services.erasure_request(actor=api_user(request), **body.validated_data)
        return Response(ErasureRequestSerializer(erasure).data, status=201)


class ErasureConfirm(APIView):
    """An org admin who did not ask confirms: the survivor is erased at once."""

    permission_classes = [SeesErasure]

    @extend_schema(request=None, responses=ErasureRequestSerializer)
    def post(self, request: Request, request_id: uuid.UUID) -> Response:
        user = api_user(request)
        erasure = selectors.erasure_request_get_for_user(user=user, request_id=request_id)
        erasure = services.erasure_confirm(actor=user, erasure=erasure)
        return Response(ErasureRequestSerializer(erasure).data)


class ErasureCancel(APIView):
    permission_classes = [SeesErasure]

    @extend_schema(request=None, responses=ErasureRequestSerializer)
    def post(self, request: Request, request_id: uuid.UUID) -> Response:
        user = api_user(request)
        erasure = selectors.erasure_request_get_for_user(user=user, request_id=request_id)
        erasure = services.erasure_cancel(actor=user, erasure=erasure)
        return Response(ErasureRequestSerializer(erasure).data)
