from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import partial

from django.db import models, transaction
from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.notifications.kinds import kind_get
from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.selectors import notification_get_for_user, notification_list_for_user


@transaction.atomic
def notify(*, recipients: Iterable[User], kind: str, obj: models.Model) -> list[Notification]:
    """Create in-app notifications and send their e-mails after the transaction commits.

    ``kind`` must be registered (crisis_ops.notifications.kinds) by the sending app.
    """
    if kind_get(kind) is None:
        raise ValueError(f"unregistered notification kind: {kind}")
    from crisis_ops.notifications.tasks import send_notification_email

    created = []
    for recipient in recipients:
        notification, is_new = Notification.objects.get_or_create(
            recipient=recipient, kind=kind, object_type=obj._meta.label_lower, object_id=obj.pk
        )
        if is_new:
            created.append(notification)
            transaction.on_commit(partial(send_notification_email.delay, str(notification.pk)))
    return created


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: uuid.UUID | str) -> Notification:
    """Mark one of her notifications read; marking it again changes nothing. 404 if not hers."""
    notification = notification_get_for_user(user=user, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark all her unread notifications read; returns how many were unread."""
    unread = notification_list_for_user(user=user, unread=True)
    return unread.update(read_at=timezone.now())
