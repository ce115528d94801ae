"""API conventions shared by every app: who may call, and the one error format.

Errors are ``{"detail": str, "errors": {field: [str, ...]}}`` with a 4xx status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser as BaseJSONParser
from rest_framework.request import Request
from rest_framework.response import Response

if TYPE_CHECKING:
    from rest_framework.views import APIView


class Pagination(LimitOffsetPagination):
    """Pages of 50; at most 200 rows a request, which bounds how much one call decrypts.

    DRF quietly falls back to the defaults on ``limit=-1.8e-107`` or ``offset=null``; here
    a limit or offset that is not a whole number in range is a 400 that names it.
    """

    default_limit = 50
    max_limit = 200

    def _whole(self, request: Request, name: str, low: int, high: int | None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= (high or int(raw)):
            message = (
                _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
                if high
                else _("Give a whole number from %(low)s up.") % {"low": low}
            )
            raise exceptions.ValidationError({name: [message]})
        return int(raw)

    def get_limit(self, request: Request) -> int | None:
        limit = self._whole(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request: Request) -> int:
        return self._whole(request, self.offset_query_param, 0, None) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class QueryFilterSerializer(serializers.Serializer[Any]):
    """A list's query parameters: a parameter given empty (``?region=``) is a 400.

    DRF treats an empty optional query value as absent, so a typo'd filter would quietly
    list everything; a field that takes blank text says so with ``allow_blank``.
    """

    def to_internal_value(self, data: Any) -> Any:
        blank = [
            name
            for name, field in self.fields.items()
            if hasattr(data, "get")
            and data.get(name) == ""
            and not getattr(field, "allow_blank", False)
        ]
        if blank:
            raise exceptions.ValidationError(
                {name: [_("Give a value, or leave the parameter out.")] for name in blank}
            )
        return super().to_internal_value(data)


def api_token_of(request: Request) -> Any:
    """The API token the request came with (an ``accounts.ApiToken``), or None.

    Read by duck type: the cross-cutting modules do not import accounts' models.
    """
    auth = request.auth
    return auth if hasattr(auth, "is_read_only") else None


def _depth(value: Any) -> int:
    """How deep a parsed JSON value nests, without recursing (the value may be deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


class JSONParser(BaseJSONParser):
    """DRF's parser, with a bound on nesting.

    Python's decoder raises RecursionError somewhere past ~1,000 levels, which nothing maps
    to a 4xx; and a body that parses but nests hundreds deep would recurse again in the
    serializers and the renderer. No request body of this API nests more than a few levels.
    """

    max_depth = 32

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        too_deep = exceptions.ParseError(
            _("The JSON body is nested more than %(depth)s levels deep.")
            % {"depth": self.max_depth}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if _depth(data) > self.max_depth:
            raise too_deep
        return data


class IsVerifiedUser(permissions.BasePermission):
    """Signed in, and past the second factor; a session that skipped it gets 403.

    A token is created by its owner from a session that passed the second factor,
    so a token-authenticated call needs none of its own; a read-only token may only
    read (GET, HEAD, OPTIONS).
    """

    message = _("Sign in with your second factor first.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if getattr(user, "must_change_password", False):
            self.message = _(
                "This account still has the temporary password an admin set. Sign in on"
                " the website and choose your own password; then the API answers."
            )
            return False
        token = api_token_of(request)
        if token is not None:
            if token.is_read_only and request.method not in permissions.SAFE_METHODS:
                self.message = _("This token is read only; it cannot change anything.")
                return False
            return True
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())


class IsSecondFactorSession(IsVerifiedUser):
    """A session past the second factor, never a token: what makes new tokens."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if api_token_of(request) is not None:
            self.message = _("Create and manage tokens from a signed-in session, not a token.")
            return False
        return super().has_permission(request, view)


def _field_errors(data: Any) -> dict[str, list[str]]:
    if isinstance(data, dict):
        return {
            str(field): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for field, messages in data.items()
        }
    if isinstance(data, list):
        return {"non_field_errors": [str(m) for m in data]}
    return {"non_field_errors": [str(data)]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    # Imported here: DRF imports this module while rest_framework.views is half-loaded.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("The request has errors; nothing was saved."),
            "errors": _field_errors(exc.detail),
        }
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"detail": str(detail), "errors": {}}
    return response
