"""The shelter manager's dashboard panel, registered from ``SheltersConfig.ready()``."""

from __future__ import annotations

from collections.abc import Mapping

from crisis_ops.accounts.models import User
from crisis_ops.core.dashboard import register_panel
from crisis_ops.organisations.roles import Role
from shelters.board import manager_summaries


def _beds(user: User) -> Mapping[str, object]:
    return {"shelters": manager_summaries(user)}


def register() -> None:
    register_panel(
        "beds",
        roles=[Role.SHELTER_MANAGER],
        template="shelters/_dashboard.html",
        context=_beds,
        order=10,
    )
