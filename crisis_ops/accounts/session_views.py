"""What the browser asks about its own session: how long until the idle sign-out, a
keep-alive when she types or scrolls without sending anything, and which of the forms
she sent have arrived (so their drafts in the browser can go).

The idle limit itself is IdleLogoutMiddleware's: these views run behind it, so a
keep-alive is activity like any other request, and the state check, sent as a
background refresh, is not (an idle page asking must not keep itself signed in).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from crisis_ops.accounts.middleware import LAST_SEEN_KEY
from crisis_ops.core.idempotency import key_was_used

_MAX_KEYS = 20


def _seconds_left(request: HttpRequest) -> int:
    limit = settings.IDLE_LOGOUT_AFTER.total_seconds()
    last_seen = request.session.get(LAST_SEEN_KEY, timezone.now().timestamp())
    return max(0, int(limit - (timezone.now().timestamp() - last_seen)))


def _signed_in(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_verified())


@never_cache
@require_GET
def session_state(request: HttpRequest) -> JsonResponse:
    """Signed in or not, and the seconds left before the idle sign-out."""
    if not _signed_in(request):
        return JsonResponse({"signed_in": False})
    return JsonResponse({"signed_in": True, "idle_seconds_left": _seconds_left(request)})


@never_cache
@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """She is at the screen (typing, scrolling, "stay signed in"): the middleware has
    already counted this request as activity; say how long that buys."""
    if not _signed_in(request):
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "idle_seconds_left": _seconds_left(request)})


@never_cache
@require_GET
def drafts_sent(request: HttpRequest) -> JsonResponse:
    """Which of these idempotency keys (forms sent from this browser) were done."""
    if not _signed_in(request):
        return JsonResponse({"signed_in": False}, status=401)
    keys = request.GET.getlist("key")[:_MAX_KEYS]
    return JsonResponse({"sent": [key for key in keys if key_was_used(user=request.user, key=key)]})
