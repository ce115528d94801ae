"""The cases app's dashboard panels, registered from ``CasesConfig.ready()``."""

from __future__ import annotations

from collections.abc import Mapping

from cases.selectors import case_list_for_user, escalations_for
from crisis_ops.accounts.models import User
from crisis_ops.core.dashboard import register_panel
from crisis_ops.organisations.roles import Role


def _my_cases(user: User) -> Mapping[str, object]:
    mine = case_list_for_user(user=user, assigned_to_me=True).exclude(status="closed")
    return {"my_open_cases": mine.count()}


def _escalations(user: User) -> Mapping[str, object]:
    return {"escalations": escalations_for(user=user)}


def register() -> None:
    register_panel(
        "my_cases",
        roles=[Role.CASEWORKER],
        template="cases/_dashboard_my_cases.html",
        context=_my_cases,
        order=10,
    )
    register_panel(
        "escalations",
        roles=[Role.SUPERVISOR],
        template="cases/_dashboard_escalations.html",
        context=_escalations,
        order=40,
    )
