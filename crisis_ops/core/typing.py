"""Request types for views that only signed-in users reach."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from rest_framework.request import Request

    from crisis_ops.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    user: User


def api_user(request: Request) -> User:
    """The caller of an API view whose permission class already required sign-in."""
    return cast("User", request.user)
