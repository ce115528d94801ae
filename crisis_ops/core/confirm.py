"""Destructive or final actions ask first, and say what will happen.

The action's own form posts to its own URL as before; until the post says
``confirmed=yes`` the view answers with a page that names the consequence and
offers the same post again, confirmed, or a way back. It is a page, not a script
dialog, so it works with JavaScript off.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crisis_ops.core.idempotency import FIELD

CONFIRMED = "confirmed"
_NOT_CARRIED = frozenset({"csrfmiddlewaretoken", FIELD, CONFIRMED})


def ask_first(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    confirm_label: str,
    cancel_url: str,
) -> HttpResponse | None:
    """None once she has confirmed; until then, the page that asks."""
    if request.POST.get(CONFIRMED) == "yes":
        return None
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_CARRIED
        for value in values
    ]
    context = {
        "title": title,
        "consequences": consequences,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "carried": carried,
        "action": request.path,
    }
    return render(request, "core/confirm.html", context)
