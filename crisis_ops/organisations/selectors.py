"""Reads about organisations and staff, always scoped to what the user may see."""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role


def organisations_for_user(*, user: User, role: Role | None = None) -> QuerySet[Organisation]:
    memberships = Membership.objects.filter(user=user, is_active=True)
    if role is not None:
        memberships = memberships.filter(role=role)
    return Organisation.objects.filter(
        is_active=True, id__in=memberships.values("organisation_id")
    ).select_related("region")


def membership_list_for_admin(*, user: User) -> QuerySet[Membership]:
    """Members of every organisation the user administers, and only those."""
    administered = organisations_for_user(user=user, role=Role.ORG_ADMIN)
    return (
        Membership.objects.filter(organisation__in=administered)
        .select_related("user", "organisation")
        .annotate(
            has_second_factor=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
            )
        )
        .order_by("organisation__name", "user__last_name", "user__username")
    )


def membership_get_for_admin(*, user: User, membership_id: uuid.UUID | str) -> Membership:
    try:
        return membership_list_for_admin(user=user).get(pk=membership_id)
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def organisation_get_for_admin(*, user: User, organisation_id: uuid.UUID | str) -> Organisation:
    try:
        return organisations_for_user(user=user, role=Role.ORG_ADMIN).get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
