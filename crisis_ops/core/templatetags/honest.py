"""Defaults that do not lie: a choice nobody made is shown as "— choose —", not as the
first option (an untouched "Under 18" or "Rape" becomes a false fact and a false figure).

Used by the project's override of Django's select widget template, so every form's
single-choice field gets it, with no form class having to remember.
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def nothing_chosen(widget: dict[str, Any]) -> bool:
    """A single select with no option selected and no empty option of its own: the
    browser would show its first option as if it had been chosen."""
    if widget.get("attrs", {}).get("multiple"):
        return False
    options = [option for _name, group, _index in widget["optgroups"] for option in group]
    return not any(o["selected"] for o in options) and not any(
        str(o["value"]) == "" for o in options
    )
