from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, copy_context

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_INCOMING_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")

Handler = Callable[[HttpRequest], HttpResponse]


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Gives every request an id that appears in logs, audit rows and the response.

    An id set by the proxy is kept when it looks like one, so a request can be
    followed from the proxy log to the audit log.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # A context of its own: whatever the request sets in a context variable (its id,
        # the API token it came with) is gone when it ends, on a reused worker thread too.
        response = copy_context().run(self._respond, request, request_id)
        response["X-Request-ID"] = request_id
        return response

    def _respond(self, request: HttpRequest, request_id: str) -> HttpResponse:
        _request_id.set(request_id)
        return self.get_response(request)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class ContentSecurityPolicyMiddleware:
    """Django 5.2 has no CSP support of its own; one fixed policy, no inline script."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class HealthCheckMiddleware:
    """``/health`` for docker-compose and the load balancer: the database answers.

    First in the chain, so neither ALLOWED_HOSTS nor the HTTPS redirect applies: the
    probe asks http://127.0.0.1:8000/health from inside the container, which is neither
    the public host nor TLS. It tells nothing but up (200) or down (503).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != "/health":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            response = JsonResponse({"status": "database unavailable"}, status=503)
        else:
            response = JsonResponse({"status": "ok"})
        add_never_cache_headers(response)
        return response
