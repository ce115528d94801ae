"""Reads of the signed-in user's own notifications: nobody reads another's."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from crisis_ops.accounts.models import User
from crisis_ops.notifications.models import Notification


def notification_list_for_user(*, user: User, unread: bool | None = None) -> QuerySet[Notification]:
    """Her notifications, newest first; ``unread`` True/False narrows to unread/read."""
    rows = Notification.objects.filter(recipient=user)
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    return rows.order_by("-created_at")


def notification_get_for_user(*, user: User, notification_id: uuid.UUID | str) -> Notification:
    """One of her notifications, or 404 (another's is indistinguishable from none)."""
    found = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if found is None:
        raise Http404
    return found
