"""API for reference data and an org admin's staff management (one view per operation)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crisis_ops.accounts.models import User
from crisis_ops.core import text as caps
from crisis_ops.core.api import IsVerifiedUser
from crisis_ops.core.text import model_cap
from crisis_ops.core.typing import api_user
from crisis_ops.organisations import selectors, services
from crisis_ops.organisations.models import Membership, Region
from crisis_ops.organisations.roles import Role


class RegionSerializer(serializers.ModelSerializer[Region]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "kind", "name", "population", "population_as_of"]


class RegionList(generics.ListAPIView[Region]):
    """Kazakhstan's regions and cities of republican significance, with population."""

    serializer_class = RegionSerializer
    pagination_class = None
    queryset = Region.objects.all()


class IsOrgAdmin(IsVerifiedUser):
    message = str(_("Only an organisation admin manages staff."))

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        return selectors.organisations_for_user(
            user=api_user(request), role=Role.ORG_ADMIN
        ).exists()


class MemberSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)
    organisation_id = serializers.UUIDField(read_only=True)
    has_second_factor = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "username",
            "full_name",
            "organisation_id",
            "role",
            "is_active",
            "has_second_factor",
        ]


class MemberCreateSerializer(serializers.Serializer[Membership]):
    organisation_id = serializers.UUIDField()
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=model_cap(User, "username"))
    first_name = serializers.CharField(max_length=model_cap(User, "first_name"))
    last_name = serializers.CharField(max_length=model_cap(User, "last_name"))
    email = serializers.EmailField(max_length=model_cap(User, "email"))
    role = serializers.ChoiceField(choices=Role.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="ru")
    password = serializers.CharField(write_only=True, max_length=caps.PASSWORD)


class MemberUpdateSerializer(serializers.Serializer[Membership]):
    role = serializers.ChoiceField(choices=Role.choices)
    is_active = serializers.BooleanField()


class MemberListCreate(generics.ListCreateAPIView[Membership]):
    """Staff of the organisations the caller administers; add a staff member."""

    permission_classes = [IsOrgAdmin]
    serializer_class = MemberSerializer

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.membership_list_for_admin(user=api_user(self.request))

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Membership]]:
        return MemberCreateSerializer if self.request.method == "POST" else MemberSerializer

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = MemberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = selectors.organisation_get_for_admin(
            user=api_user(request), organisation_id=data.pop("organisation_id")
        )
        membership = services.member_create(
            actor=api_user(request), organisation=organisation, **data
        )
        membership = selectors.membership_get_for_admin(
            user=api_user(request), membership_id=membership.pk
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class TemporaryPasswordSerializer(serializers.Serializer[Any]):
    password = serializers.CharField(write_only=True, max_length=caps.PASSWORD)


class MemberPasswordReset(APIView):
    """Give a staff member a temporary password; they must choose their own to go on."""

    permission_classes = [IsOrgAdmin]
    serializer_class = TemporaryPasswordSerializer

    @extend_schema(request=TemporaryPasswordSerializer, responses={204: None})
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        membership = selectors.membership_get_for_admin(user=api_user(request), membership_id=pk)
        serializer = TemporaryPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.member_password_reset(
            actor=api_user(request),
            membership=membership,
            password=serializer.validated_data["password"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberDetail(generics.RetrieveUpdateAPIView[Membership]):
    """One staff member; change their role or switch their access off."""

    permission_classes = [IsOrgAdmin]
    serializer_class = MemberSerializer
    http_method_names = ["get", "patch", "options"]

    def get_object(self) -> Membership:
        return selectors.membership_get_for_admin(
            user=api_user(self.request), membership_id=self.kwargs["pk"]
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Membership]]:
        return MemberUpdateSerializer if self.request.method == "PATCH" else MemberSerializer

    def partial_update(self, request: Request, *args: object, **kwargs: object) -> Response:
        membership = self.get_object()
        # Partial: the serializer itself refuses a body that is not an object.
        serializer = MemberUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {
            "role": membership.role,
            "is_active": membership.is_active,
            **serializer.validated_data,
        }
        services.membership_update(actor=api_user(request), membership=membership, **changes)
        membership = self.get_object()
        return Response(MemberSerializer(membership).data)
