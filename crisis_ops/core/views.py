from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from crisis_ops.core.dashboard import panels_shown
from crisis_ops.core.typing import AuthedHttpRequest


@login_required
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    """The panels each app registered for the user's roles (crisis_ops.core.dashboard)."""
    roles = request.user.active_roles()
    panels = panels_shown(user=request.user, roles=roles)
    return render(request, "core/dashboard.html", {"panels": panels, "has_no_role": not roles})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bookmarks ask for whatever a page links (pages link
    the hashed static file). Answered here, not redirected: a cached redirect would outlive
    the hashed name it points to."""
    with staticfiles_storage.open("img/favicon.ico") as icon:
        response = HttpResponse(icon.read(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": {}}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("You do not have access to this page."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("This page does not exist, or you do not have access to it."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("Something went wrong on our side. Please try again."))
