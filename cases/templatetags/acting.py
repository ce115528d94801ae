"""The header's "acting for" line, for a caseworker of two or more centers."""

from __future__ import annotations

from typing import Any

from django import template

from cases import selectors
from cases.acting_views import ACTING_KEY

register = template.Library()


@register.inclusion_tag("cases/_acting_for_header.html", takes_context=True)
def acting_for_header(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated or not user.is_verified():
        return {"show": False}
    if not user.active_roles() & set(selectors.CASE_ROLES):
        return {"show": False}
    centers = selectors.acting_organisation_choices(user=user)
    if len(centers) < 2:
        return {"show": False}
    chosen = str(request.session.get(ACTING_KEY, ""))
    acting = next((c for c in centers if str(c.pk) == chosen), None)
    return {"show": True, "acting": acting, "next": request.get_full_path()}
