from __future__ import annotations

from django.http import HttpRequest

from crisis_ops.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The bell's count: one COUNT per page, none for anonymous visitors.

    Counted when the page renders rather than polled, so an idle page never
    talks to the server and the idle logout still happens.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    return {
        "unread_notifications": Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    }
