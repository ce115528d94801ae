"""DRF authentication by API token: ``Authorization: Token <key>``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from crisis_ops.accounts.models import ApiToken, User
from crisis_ops.accounts.tokens import api_token_for_key
from crisis_ops.audit.services import audit_attribute_to_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Replaces DRF's authtoken: hashed keys, expiry, revocation, a scope.

    ``request.auth`` is the ``ApiToken``; ``IsVerifiedUser`` reads its scope. Every
    audit row the request writes names the token.
    """

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Token <key>."))
        try:
            key = words[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("That token is not valid.")) from exc
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("That token is not valid: it may have expired or been revoked.")
            )
        audit_attribute_to_token(token.pk)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token header in /api/schema/ (registered by being defined)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token-based authentication: `Token <key>`. A key expires "
            "(90 days by default) and may be read only.",
        }
