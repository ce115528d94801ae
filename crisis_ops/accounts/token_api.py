"""API for API tokens: one's own (list, create, revoke) and, for an org admin, her members'.

Managed only from a session past the second factor (``IsSecondFactorSession``): a token
cannot make a longer-lived token of itself, nor hide a stolen one.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crisis_ops.accounts import tokens
from crisis_ops.accounts.models import API_TOKEN_NAME_MAX_LENGTH, ApiToken, ApiTokenScope
from crisis_ops.core.api import IsSecondFactorSession
from crisis_ops.core.typing import api_user
from crisis_ops.organisations.roles import Role
from crisis_ops.organisations.selectors import organisations_for_user


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    owner_id = serializers.UUIDField(source="user_id", read_only=True)
    owner_username = serializers.CharField(source="user.username", read_only=True)
    is_usable = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "scope",
            "prefix",
            "owner_id",
            "owner_username",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_usable",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer[ApiToken]):
    name = serializers.CharField(max_length=API_TOKEN_NAME_MAX_LENGTH)
    scope = serializers.ChoiceField(choices=ApiTokenScope.choices, default=ApiTokenScope.READ)
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=settings.API_TOKEN_LIFETIME.days, required=False
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown this once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenListCreate(generics.ListCreateAPIView[ApiToken]):
    """The caller's own tokens; create one (its key is in this answer only)."""

    permission_classes = [IsSecondFactorSession]
    serializer_class = ApiTokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        return tokens.api_token_list_for_user(user=api_user(self.request))

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        days = data.get("expires_in_days")
        token, key = tokens.api_token_create(
            user=api_user(request),
            name=data["name"],
            scope=data["scope"],
            lifetime=timedelta(days=days) if days else None,
        )
        token.key = key  # type: ignore[attr-defined]
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class IsOrgAdminSession(IsSecondFactorSession):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        return organisations_for_user(user=api_user(request), role=Role.ORG_ADMIN).exists()


class OrganisationTokenList(generics.ListAPIView[ApiToken]):
    """Tokens of the members of the organisations the caller administers."""

    permission_classes = [IsOrgAdminSession]
    serializer_class = ApiTokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        return tokens.api_token_list_for_admin(user=api_user(self.request))


class ApiTokenRevoke(APIView):
    """Revoke a token: one's own, or a member's as her organisation's admin."""

    permission_classes = [IsSecondFactorSession]

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    def post(self, request: Request, token_id: str) -> Response:
        user = api_user(request)
        token = tokens.api_token_get_for_revoker(user=user, token_id=token_id)
        token = tokens.api_token_revoke(actor=user, token=token)
        return Response(ApiTokenSerializer(token).data)
