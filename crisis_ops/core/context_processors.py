from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise

from crisis_ops.organisations.roles import NAVIGATION, Role


def navigation(request: HttpRequest) -> dict[str, object]:
    """Menu entries for the roles the signed-in user holds, without repeats."""
    user = getattr(request, "user", None)
    items: list[tuple[str, str | Promise]] = []
    if user is not None and user.is_authenticated and user.is_verified():
        for role in Role:
            if role in user.active_roles():
                items.extend(item for item in NAVIGATION[role] if item not in items)
    return {
        "nav_items": items,
        "idle_logout_seconds": int(settings.IDLE_LOGOUT_AFTER.total_seconds()),
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
