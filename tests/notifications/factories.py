"""Notifications made directly, for tests of what reads them."""

from typing import Any

from django.db import models

from crisis_ops.accounts.models import User
from crisis_ops.notifications.models import Notification


def notification_about(
    recipient: User, obj: models.Model, kind: str = "police_check_due", **fields: Any
) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        **fields,
    )
