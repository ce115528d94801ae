"""The orders' dashboard panel, registered from ``ProtectionOrdersConfig.ready()``."""

from __future__ import annotations

from collections.abc import Mapping

from crisis_ops.accounts.models import User
from crisis_ops.core.dashboard import register_panel
from crisis_ops.organisations.roles import Role
from protection_orders.selectors import deadlines_for


def _deadlines(user: User) -> Mapping[str, object]:
    return {"deadlines": deadlines_for(user=user)}


def register() -> None:
    register_panel(
        "deadlines",
        roles=[Role.CASEWORKER, Role.SUPERVISOR],
        template="protection_orders/_deadlines.html",
        context=_deadlines,
        order=20,
    )
