"""A survivor's name where a shared screen may show it: ``{% survivor_name case %}``.

The name is in the page either way (the page that shows it is an audited read of the
case); the user's setting decides whether it is on screen at once, behind "Show name",
or (not chosen yet) by screen width: hidden on a wide screen, shown on a phone.
"""

from __future__ import annotations

from typing import Any

from django import template

from cases.models import Case

register = template.Library()

_MODES = {True: "shown", False: "hidden", None: "by-screen"}


@register.inclusion_tag("cases/_survivor_name.html", takes_context=True)
def survivor_name(context: dict[str, Any], case: Case) -> dict[str, Any]:
    user = context.get("user")
    show = getattr(user, "show_survivor_names", None)
    return {"name": case.survivor.full_name, "mode": _MODES[show]}
