"""Writes about accounts: language, second-factor devices. Each writes its audit row."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the offered languages.")]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(action="user.language_changed", actor=user, obj=user)
    return user


@transaction.atomic
def user_set_name_display(*, user: User, show: bool | None) -> User:
    """Whether survivors' names are on her screen: yes, no, or None (by screen width)."""
    if user.show_survivor_names is not show:
        user.show_survivor_names = show
        user.save(update_fields=["show_survivor_names"])
        audit_record(action="user.name_display_changed", actor=user, obj=user)
    return user


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> User:
    """She chose her own password (the form checked the old one and the rules)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(action="auth.password_changed", actor=user, obj=user)
    return user


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_device_start_enrolment(*, user: User) -> TOTPDevice:
    """Return the user's pending device, creating one with a fresh secret if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm enrolment with a first valid code; older devices of the user are removed."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token):
        raise ValidationError({"token": [_("That code is not valid. Try the newest one.")]})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action="auth.second_factor_enrolled", actor=user, obj=user)
    return device


@transaction.atomic
def totp_device_reset(*, actor: User, user: User) -> None:
    """An org admin clears a member's authenticator; they enrol again at next login."""
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(action="auth.second_factor_reset", actor=actor, obj=user)
