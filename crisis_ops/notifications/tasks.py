import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from crisis_ops.notifications.channels import configured_channels
from crisis_ops.notifications.kinds import kind_get
from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.subjects import subject_reference

logger = logging.getLogger(__name__)


def _email_texts(notification: Notification) -> tuple[str, str]:
    """Subject and first paragraph in the active language, from the kind's registration."""
    kind = kind_get(notification.kind)
    if kind is None:
        return "", ""
    values = {"case_reference": subject_reference(notification)}
    return str(kind.email_subject) % values, str(kind.email_body) % values


def email_notification(notification: Notification) -> bool:
    """Send a notification through every external channel that reaches its recipient and
    mark it ``emailed_at``; the caller holds the row (locked, or written in its transaction).

    Returns False if no channel reaches her (nothing to send, nothing marked).
    """
    recipient = notification.recipient
    channels = [c for c in configured_channels() if c.can_reach(recipient)]
    if not channels:
        return False
    with translation.override(recipient.language):
        subject_line, first_paragraph = _email_texts(notification)
        context = {
            "notification": notification,
            "site": settings.SITE_NAME,
            "subject": subject_line,
            "body": first_paragraph,
        }
        subject = render_to_string("notifications/email_subject.txt", context).strip()
        body = render_to_string("notifications/email_body.txt", context)
    for channel in channels:
        channel.send(recipient, subject, body)
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_notification_email(notification_id: str) -> None:
    """Thin and idempotent: reload under lock, skip if gone or already sent, send, mark.

    ``emailed_at`` marks the notification as gone out through every external channel.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is not None:
            email_notification(notification)


def notification_email_now(notification_id: str) -> None:
    """Send a notification's e-mail in this process (after its transaction commits); if
    that fails, hand it to the task, which retries with backoff.

    For callers already running in a worker (the reminder send), where a second task
    would cost a broker round trip and a task of its own for every message. The task's
    row lock and ``emailed_at`` keep it to one e-mail however the two paths meet.
    """
    try:
        send_notification_email(notification_id)
    except Exception:
        logger.warning("e-mail of notification %s failed; queued to retry", notification_id)
        send_notification_email.delay(notification_id)
