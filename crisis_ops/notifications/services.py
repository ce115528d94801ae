from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import models, transaction

from crisis_ops.accounts.models import User
from crisis_ops.notifications.kinds import kind_get
from crisis_ops.notifications.models import Notification


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
