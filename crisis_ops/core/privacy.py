"""Nothing personal in an address: a survivor's name, IIN or phone never travels in a URL.

A URL is written down everywhere — the browser's history, the proxy's and gunicorn's
access logs, the Referer of the next request — so searches and duplicate checks send
what was typed in the body of a POST. This module is the defence in depth around that:

- ``PersonalQueryMiddleware`` refuses (400) a request whose query string carries a
  parameter that can only be personal (``iin``, ``phone``, ``search``…), or one a view
  declares personal with ``@personal_query("q")``, so an old bookmark or a client that
  still sends them fails loudly instead of working.
- ``redact_url`` blanks the values that may be personal (those parameters, ``q``, and
  anything that looks like an IIN or a phone number) for the logs:
  ``crisis_ops.gunicorn`` logs requests through ``access_log.AccessLogger`` and Django's
  development server through ``RedactQueryLogFilter``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from crisis_ops.core.redact import PERSONAL_QUERY_PARAMETERS, redact_url

V = TypeVar("V", bound=Callable[..., Any])


def personal_query(*names: str) -> Callable[[V], V]:
    """Mark a view's query parameters as personal: a request carrying one is refused."""

    def mark(view: V) -> V:
        view.personal_query_parameters = frozenset(names)  # type: ignore[attr-defined]
        return view

    return mark


class PersonalQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # A DRF view's class carries the mark; as_view() returns a function holding it.
        holder = getattr(view, "cls", view)
        declared: frozenset[str] = getattr(holder, "personal_query_parameters", frozenset())
        refused = sorted((PERSONAL_QUERY_PARAMETERS | declared) & set(request.GET))
        if not refused:
            return None
        message = _(
            "Names, IINs and phone numbers are never sent in the address of a page. "
            "Search from the form on the page (or, in the API, with POST)."
        )
        if request.path.startswith("/api/"):
            errors = {name: [message] for name in refused}
            return JsonResponse({"detail": message, "errors": errors}, status=400)
        return render(request, "error.html", {"status": 400, "message": message}, status=400)


class RedactQueryLogFilter(logging.Filter):
    """For ``django.server`` (runserver, ``make run``): its first argument is the request
    line, ``GET /cases/?q=… HTTP/1.1``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            line = record.args[0].split(" ")
            if len(line) == 3:
                line[1] = redact_url(line[1])
                record.args = (" ".join(line), *record.args[1:])
        return True
