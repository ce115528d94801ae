from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers

from crisis_ops.audit.services import audit_record

Handler = Callable[[HttpRequest], HttpResponse]
LAST_SEEN_KEY = "last_seen"
# Sent by htmx polling (hx-headers) so automatic refreshes do not count as activity.
BACKGROUND_HEADER = "X-Background-Refresh"

# Views a signed-in user may reach before the second factor is done. The API
# decides for itself (IsVerifiedUser), since a token needs no session factor.
_OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:login",
        "accounts:verify",
        "accounts:enrol",
        "accounts:logout",
        "set_language",
    }
)


def _open_before_second_factor(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in _OPEN_BEFORE_SECOND_FACTOR or match.namespaces[:1] == ["api"]


IDLE_REASON = "idle"


def idle_login_url(next_url: str | None) -> str:
    """The sign-in page, told that the user was signed out for being idle."""
    query = {"reason": IDLE_REASON} if not next_url else {"next": next_url, "reason": IDLE_REASON}
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode(query)}"


def _current_page(request: HttpRequest) -> str | None:
    """The page an htmx request came from (its own path is a fragment's)."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.netloc and current.netloc != request.get_host():
        return None
    return (current.path + (f"?{current.query}" if current.query else "")) or None


class IdleLogoutMiddleware:
    """Signs a user out after IDLE_LOGOUT_AFTER without a request.

    A shared computer at a center must not keep a survivor's file open. The
    session also expires a little later on the server, so this holds even if
    the middleware were bypassed; running here lets us say why and audit it.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if (
                last_seen is not None
                and now - last_seen > settings.IDLE_LOGOUT_AFTER.total_seconds()
            ):
                user = request.user
                logout(request)
                audit_record(action="auth.idle_logout", actor=user, obj=user)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                if request.headers.get("HX-Request") == "true":
                    # A partial swapped into the page would show the login form inside it:
                    # htmx sends the whole page to sign-in instead.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = idle_login_url(_current_page(request))
                    return response
                # The sign-in page says why (reason=idle); a message would be shown once
                # and lost if the page that consumed it were a background request.
                return redirect(idle_login_url(request.get_full_path()))
            # A page refreshing itself (the bed board every 30 s) is not someone at the
            # screen: it may be signed out, but it must not keep the session alive.
            if request.headers.get(BACKGROUND_HEADER) != "1":
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's and the cookie's."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    """Until the second factor is verified, a session can only finish signing in.

    Every role needs it: a coordinator sees shelter addresses too.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not _open_before_second_factor(request.path_info)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        return self.get_response(request)


_OPEN_BEFORE_OWN_PASSWORD = _OPEN_BEFORE_SECOND_FACTOR | {"accounts:password_change"}


class RequirePasswordChangeMiddleware:
    """A temporary password (set by an org admin) opens only the page to replace it.

    Runs after the second factor. The API answers 403 itself (IsVerifiedUser), since a
    token-authenticated user is known only inside the API view.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path_info.startswith("/api/")
            and not _view_name_in(request.path_info, _OPEN_BEFORE_OWN_PASSWORD)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:password_change')}?{query}")
        return self.get_response(request)


def _view_name_in(path: str, names: frozenset[str]) -> bool:
    try:
        return resolve(path).view_name in names
    except Resolver404:
        return False


class NoStoreForSignedInMiddleware:
    """Whatever a signed-in user is sent must not outlive the page on a shared computer.

    Static files never reach here (WhiteNoise answers them first) and stay cacheable.
    A token-authenticated API call counts: DRF sets its user on this request.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
