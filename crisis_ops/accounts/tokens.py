"""API tokens: creating, revoking, and finding the one a request presents.

The key is ``co_`` and 43 URL-safe characters (256 random bits); the database keeps
only its SHA-256, which with that much entropy needs no salt or stretching.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis_ops.accounts.models import ApiToken, ApiTokenScope, User
from crisis_ops.audit.services import audit_record
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from crisis_ops.organisations.selectors import organisations_for_user

KEY_PREFIX = "co_"
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str, lifetime: timedelta | None = None
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it and the key, which is never shown again."""
    longest: timedelta = settings.API_TOKEN_LIFETIME
    lifetime = longest if lifetime is None else lifetime
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the token a name, so you know later what uses it.")]
    if scope not in ApiTokenScope.values:
        errors["scope"] = [_("Choose read only or read and write.")]
    if not timedelta(days=1) <= lifetime <= longest:
        errors["expires_in_days"] = [
            _("A token lives from 1 to %(days)d days.") % {"days": longest.days}
        ]
    if errors:
        raise ValidationError(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        scope=scope,
        key_hash=api_token_hash(key),
        prefix=key[:10],
        created_at=now,
        expires_at=now + lifetime,
    )
    audit_record(action="api_token.created", actor=user, obj=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(action="api_token.revoked", actor=actor, obj=token)
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The usable token with this key, its owner loaded; marks it used (once a minute)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=api_token_hash(key), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now=now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        _api_token_mark_used(token=token, now=now)
    return token


@transaction.atomic
def _api_token_mark_used(*, token: ApiToken, now: datetime) -> None:
    # A conditional UPDATE: of two requests in the same minute, one writes.
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    if ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now):
        token.last_used_at = now
        audit_record(action="api_token.used", actor=token.user, obj=token, token_id=token.pk)


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("user", "revoked_by")


def api_token_list_for_admin(*, user: User) -> QuerySet[ApiToken]:
    """Tokens of the members of every organisation the user administers."""
    administered = organisations_for_user(user=user, role=Role.ORG_ADMIN)
    members = Membership.objects.filter(organisation__in=administered).values("user_id")
    return ApiToken.objects.filter(user_id__in=members).select_related("user", "revoked_by")


def api_token_get_for_revoker(*, user: User, token_id: uuid.UUID | str) -> ApiToken:
    """A token the user may revoke (her own, or a member's of hers as org admin), or 404."""
    tokens = api_token_list_for_user(user=user) | api_token_list_for_admin(user=user)
    try:
        return tokens.distinct().get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
