from __future__ import annotations

from typing import Any

from crisis_ops.accounts.models import User
from crisis_ops.notifications.models import Notification


def escalations_for(user: User, limit: int = 20) -> list[dict[str, Any]]:
    """Unread escalations with the case they concern, for the supervisor's dashboard."""
    from cases.models import Case
    from cases.selectors import case_scope_q

    notifications = list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])
    cases = Case.objects.filter(case_scope_q(user)).in_bulk(
        [n.object_id for n in notifications if n.object_type == "cases.case"]
    )
    return [
        {"notification": n, "case": cases[n.object_id]}
        for n in notifications
        if n.object_id in cases
    ]
