from __future__ import annotations

from django.http import HttpRequest

from crisis_ops.accounts.drafts import draft_key_for, draft_owner_for


def drafts(request: HttpRequest) -> dict[str, object]:
    """The draft key for a session that passed both factors (templates/base.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    return {"draft_key": draft_key_for(user=user), "draft_owner": draft_owner_for(user=user)}
