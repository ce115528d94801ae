"""Dashboard panels, registered per role by the app that owns each one.

A panel is a template and a function that builds its context for the signed-in user.
The dashboard shows, for each of the user's roles in the product's order, that role's
panels by ``order``; a panel that several of her roles share is shown once, under the
first. The context is built only for the panels shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crisis_ops.organisations.roles import Role

if TYPE_CHECKING:
    from crisis_ops.accounts.models import User

PanelContext = Callable[["User"], Mapping[str, object]]


@dataclass(frozen=True)
class Panel:
    name: str
    roles: frozenset[str]
    template: str
    context: PanelContext
    order: int


_PANELS: dict[str, Panel] = {}


def register_panel(
    name: str,
    *,
    roles: Collection[str],
    template: str,
    context: PanelContext | None = None,
    order: int = 100,
) -> None:
    """Register (or replace, by ``name``) a panel shown to ``roles``; lower ``order`` first."""
    _PANELS[name] = Panel(name, frozenset(roles), template, context or _no_context, order)


def _no_context(user: User) -> Mapping[str, object]:
    return {}


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: Mapping[str, object]


def panels_shown(*, user: User, roles: Collection[str]) -> list[ShownPanel]:
    """The user's panels with their context, built only for those shown."""
    return [ShownPanel(p.template, p.context(user)) for p in panels_for(roles)]


def panels_for(roles: Collection[str]) -> list[Panel]:
    """The panels a user with ``roles`` sees, in the order the dashboard shows them."""
    shown: list[Panel] = []
    for role in Role:
        if role not in roles:
            continue
        mine = sorted(
            (p for p in _PANELS.values() if role in p.roles and p not in shown),
            key=lambda p: (p.order, p.name),
        )
        shown += mine
    return shown
