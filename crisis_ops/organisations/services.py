"""Writes about organisations and staff. Every service writes its own audit row."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role

# Apps that hang access on membership (referred cases) keep it in line from here; called
# inside the transaction of the change. crisis_ops imports no app: they register.
_ON_MEMBERSHIP_CHANGED: list[Callable[[User | None, Membership], None]] = []


def register_membership_changed(callback: Callable[[User | None, Membership], None]) -> None:
    if callback not in _ON_MEMBERSHIP_CHANGED:
        _ON_MEMBERSHIP_CHANGED.append(callback)


def _membership_changed(actor: User | None, membership: Membership) -> None:
    for callback in _ON_MEMBERSHIP_CHANGED:
        callback(actor, membership)


def _sync_user_active(user: User) -> None:
    """A person can sign in while at least one of their memberships is active."""
    active = user.memberships.filter(is_active=True).exists() or user.is_superuser
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])


@transaction.atomic
def member_create(
    *,
    actor: User,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    password: str,
    language: str = "ru",
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose one of the offered roles.")]})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This username is taken. Choose another.")]})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
        # The admin knows this password: she chooses her own at first sign-in.
        must_change_password=True,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_record(
        action="membership.created",
        actor=actor,
        obj=membership,
        organisation_id=organisation.id,
    )
    _membership_changed(actor, membership)
    return membership


@transaction.atomic
def membership_update(
    *, actor: User, membership: Membership, role: str, is_active: bool
) -> Membership:
    if membership.user_id == actor.pk:
        raise ValidationError(
            _("You cannot change your own role or access. Ask another organisation admin.")
        )
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose one of the offered roles.")]})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    changed = membership.role != role or membership.is_active != is_active
    membership.role = role
    membership.is_active = is_active
    membership.save(update_fields=["role", "is_active", "updated_at"])
    _sync_user_active(membership.user)
    if changed:
        audit_record(
            action="membership.updated",
            actor=actor,
            obj=membership,
            organisation_id=membership.organisation_id,
        )
        _membership_changed(actor, membership)
    return membership


@transaction.atomic
def member_password_reset(*, actor: User, membership: Membership, password: str) -> User:
    """An org admin gives a member a temporary password; they choose their own at sign-in."""
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if user.pk == actor.pk:
        raise ValidationError(
            {"password": [_("Change your own password from your account, not from here.")]}
        )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        action="membership.password_reset",
        actor=actor,
        obj=membership,
        organisation_id=membership.organisation_id,
    )
    return user
