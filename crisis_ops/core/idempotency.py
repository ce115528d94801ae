"""One tap, one record: a request that carries an idempotency key is done once per user.

Every form that changes something carries a hidden ``idempotency_key`` (the
``{% idempotency_key %}`` tag puts a fresh one in each rendered form), and the API
takes the same thing as an ``Idempotency-Key`` header. The first request with a key
claims it (a row, unique per user and key) and its answer is kept; a second request
with the same key waits for the first to finish and gets the same answer — the same
redirect to the same new record — instead of creating another one. A first request
that fails (4xx, 5xx) lets go of its key, so the same request can be tried again.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings

from crisis_ops.core.middleware import Handler
from crisis_ops.core.models import IdempotencyKey

FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Kept long enough for any retry a person or a client makes; purged after that.
KEEP_FOR = timedelta(hours=24)
# A claim this old whose request never finished (a killed worker) is given up.
_STALE_AFTER = timedelta(minutes=2)
_POLL_SECONDS = 0.05
_MAX_BODY = 512 * 1024


def _key_of(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None and request.method == "POST" and not request.path.startswith("/api/"):
        try:
            key = request.POST.get(FIELD)
        except (SuspiciousOperation, OSError):
            return None  # the view reports the unreadable body itself
    return key


def _principal(request: HttpRequest) -> Any:
    """Who makes the request: the API's own authenticators for a call that brings
    credentials (they run in the view, after middleware), else the session user."""
    if "HTTP_AUTHORIZATION" in request.META:
        authenticators: list[type[BaseAuthentication]] = list(
            api_settings.DEFAULT_AUTHENTICATION_CLASSES  # type: ignore[arg-type]
        )
        for authenticator in authenticators:
            if issubclass(authenticator, SessionAuthentication):
                continue
            try:
                # Header-based authenticators read only request.META, which both have.
                found = authenticator().authenticate(request)  # type: ignore[arg-type]
            except APIException:
                return None  # the view answers 401 itself
            if found:
                return found[0]
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _problem(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": {}}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _replay(request: HttpRequest, first: IdempotencyKey) -> HttpResponse:
    for level, message, tags in json.loads(first.messages or "[]"):
        messages.add_message(request, level, message, extra_tags=tags, fail_silently=True)
    response = HttpResponse(
        first.body or "", status=first.status_code or 200, content_type=first.content_type or None
    )
    if first.location:
        response["Location"] = first.location
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(request: HttpRequest, user: Any, key: str) -> IdempotencyKey | HttpResponse:
    """The claim on the key, or the answer to give instead of doing the work."""
    method, path = request.method or "POST", request.path[:500]
    deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT_SECONDS
    while True:
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, method=method, path=path)
        except IntegrityError:
            pass
        first = IdempotencyKey.objects.filter(user=user, key=key).first()
        if first is None:
            continue  # the first request failed and let go: this one does the work
        if (first.method, first.path) != (method, path):
            return _problem(
                request, 422, _("This idempotency key was already used for another request.")
            )
        if first.done:
            return _replay(request, first)
        if first.created_at < timezone.now() - _STALE_AFTER:
            IdempotencyKey.objects.filter(pk=first.pk, done=False).delete()
            continue
        if time.monotonic() > deadline:
            return _problem(
                request, 409, _("The same request is still being processed. Try again shortly.")
            )
        time.sleep(_POLL_SECONDS)


def _queued_messages(request: HttpRequest) -> str:
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return json.dumps([[m.level, str(m.message), m.extra_tags or ""] for m in queued])


def _keep(request: HttpRequest, claim: IdempotencyKey, response: HttpResponse) -> None:
    """Keeps a successful answer for replay; a failed one lets go of the key."""
    body: str | None = None
    keep = not response.streaming and 200 <= response.status_code < 400
    if keep and response.content:
        try:
            body = response.content.decode(response.charset)
        except UnicodeDecodeError:
            keep = False
        keep = keep and len(response.content) <= _MAX_BODY
    if not keep:
        IdempotencyKey.objects.filter(pk=claim.pk).delete()
        return
    claim.done = True
    claim.status_code = response.status_code
    claim.location = response.get("Location", "")[:2000]
    claim.content_type = response.get("Content-Type", "")[:200]
    claim.body = body
    claim.messages = _queued_messages(request)
    claim.save(
        update_fields=["done", "status_code", "location", "content_type", "body", "messages"]
    )


class IdempotencyMiddleware:
    """After authentication and the second factor, so only a verified user's work is kept."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in _UNSAFE:
            return self.get_response(request)
        key = _key_of(request)
        if key is None or key == "":
            return self.get_response(request)
        if not _VALID.match(key):
            return _problem(
                request,
                400,
                _("An idempotency key is 8 to 64 letters, digits, hyphens or underscores."),
            )
        user = _principal(request)
        if user is None:
            return self.get_response(request)
        claim = _claim(request, user, key)
        if isinstance(claim, HttpResponse):
            return claim
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyKey.objects.filter(pk=claim.pk).delete()
            raise
        _keep(request, claim, response)
        return response


def key_was_used(*, user: Any, key: str) -> bool:
    """Whether a request with this key has already been done (an autosave arriving after
    the form's own submit must not bring back what the submit finished)."""
    return bool(key) and IdempotencyKey.objects.filter(user=user, key=key, done=True).exists()


def purge_old_keys() -> int:
    deleted, _counts = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - KEEP_FOR
    ).delete()
    return deleted
