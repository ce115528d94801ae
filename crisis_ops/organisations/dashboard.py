"""The org admin's staff panel on the dashboard."""

from __future__ import annotations

from collections.abc import Mapping

from crisis_ops.accounts.models import User
from crisis_ops.core.dashboard import register_panel
from crisis_ops.organisations.roles import Role
from crisis_ops.organisations.selectors import membership_list_for_admin


def _staff(user: User) -> Mapping[str, object]:
    return {"staff_count": membership_list_for_admin(user=user).filter(is_active=True).count()}


def register() -> None:
    register_panel(
        "staff",
        roles=[Role.ORG_ADMIN],
        template="organisations/_dashboard_staff.html",
        context=_staff,
        order=10,
    )
