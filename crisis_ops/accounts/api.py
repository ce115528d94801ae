from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from crisis_ops.core.typing import api_user
from crisis_ops.organisations.models import Membership


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organisation_id = serializers.UUIDField(source="organisation.id")
    organisation_name = serializers.CharField(source="organisation.name")
    region = serializers.CharField(source="organisation.region.code")

    class Meta:
        model = Membership
        fields = ["organisation_id", "organisation_name", "region", "role"]


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "id": serializers.UUIDField(),
            "username": serializers.CharField(),
            "full_name": serializers.CharField(),
            "language": serializers.CharField(),
            "memberships": MembershipSerializer(many=True),
        },
    )
)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The signed-in user: organisations, roles and language."""
    user = api_user(request)
    memberships = user.memberships.filter(is_active=True).select_related("organisation__region")
    return Response(
        {
            "id": user.id,
            "username": user.username,
            "full_name": user.get_full_name(),
            "language": user.language,
            "memberships": MembershipSerializer(memberships, many=True).data,
        }
    )
