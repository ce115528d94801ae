"""The referrals' dashboard panel, registered from ``ReferralsConfig.ready()``."""

from __future__ import annotations

from collections.abc import Mapping

from crisis_ops.accounts.models import User
from crisis_ops.core.dashboard import register_panel
from crisis_ops.organisations.roles import Role
from referrals.selectors import incoming_count, waiting_for_answer


def _referrals(user: User) -> Mapping[str, object]:
    return {
        "incoming_referrals": incoming_count(user=user),
        "waiting_referrals": waiting_for_answer(user=user),
    }


def register() -> None:
    register_panel(
        "referrals",
        roles=[Role.CASEWORKER],
        template="referrals/_dashboard.html",
        context=_referrals,
        order=30,
    )
