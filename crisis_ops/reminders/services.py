"""The reminder engine: schedule in the writer's transaction, claim what is due,
deliver each reminder exactly once."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.registry import register_still_due, reminder_kinds, still_due_check

logger = logging.getLogger(__name__)

__all__ = ["Plan", "register_still_due", "reminders_cancel", "reminders_schedule"]


@dataclass(frozen=True)
class Plan:
    kind: str
    obj: models.Model
    recipient: User
    day: datetime.date

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.obj.pk}:{self.day.isoformat()}:{self.recipient.pk}"


def local_send_time(day: datetime.date) -> datetime.datetime:
    """The configured hour (default 09:00) of that day in the center's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(settings.REMINDER_LOCAL_HOUR))
    )


def reminders_schedule(*, plans: Iterable[Plan]) -> int:
    """Write reminders inside the caller's transaction; one that exists already is kept.

    A kind no app registered is a programming error: it raises before anything is written.
    """
    plans = list(plans)
    unknown = {plan.kind for plan in plans} - reminder_kinds()
    if unknown:
        raise ValueError(f"unregistered reminder kinds: {sorted(unknown)}")
    now = timezone.now()
    rows = [
        Reminder(
            kind=plan.kind,
            object_type=plan.obj._meta.label_lower,
            object_id=plan.obj.pk,
            recipient=plan.recipient,
            due_at=local_send_time(plan.day),
            key=plan.key,
        )
        for plan in plans
    ]
    rows = [row for row in rows if row.due_at >= now - datetime.timedelta(hours=12)]
    created = Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def reminders_cancel(*, obj: models.Model, kinds: Iterable[str] | None = None) -> int:
    unsent = Reminder.objects.filter(
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        status__in=[Reminder.Status.PENDING, Reminder.Status.QUEUED],
    )
    if kinds is not None:
        unsent = unsent.filter(kind__in=list(kinds))
    return unsent.update(status=Reminder.Status.CANCELLED)


def reminders_claim_due(
    *, now: datetime.datetime | None = None, limit: int = 1000
) -> list[uuid.UUID]:
    """Claim due reminders and enqueue one short send task each, after commit.

    SKIP LOCKED lets two sweeps run at once without taking the same rows. A row
    claimed by a sweep whose messages never reached the broker (Redis down) is
    claimed again once REMINDER_REQUEUE_AFTER has passed; sending is idempotent,
    so a second message for a row already sent does nothing.
    """
    now = now or timezone.now()
    stale = now - settings.REMINDER_REQUEUE_AFTER
    from crisis_ops.reminders.tasks import send_reminder

    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            # A queued row was due when claimed, so due_at <= now holds for both branches;
            # saying so bounds the scan of the unsent index to what is due. Without it,
            # a sweep with fewer due rows than the limit read every future reminder.
            .filter(due_at__lte=now)
            .filter(
                Q(status=Reminder.Status.PENDING)
                | Q(status=Reminder.Status.QUEUED, claimed_at__lt=stale)
            )
            .order_by("due_at")
            .values_list("id", flat=True)[:limit]
        )
        if ids:
            # A row claimed this often was never delivered: stop, and show it to an admin.
            given_up = set(
                Reminder.objects.filter(
                    id__in=ids, claims__gte=settings.REMINDER_MAX_CLAIMS
                ).values_list("id", flat=True)
            )
            if given_up:
                Reminder.objects.filter(id__in=given_up).update(
                    status=Reminder.Status.FAILED,
                    last_error=f"not delivered after {settings.REMINDER_MAX_CLAIMS} claims",
                )
                ids = [reminder_id for reminder_id in ids if reminder_id not in given_up]
            Reminder.objects.filter(id__in=ids).update(
                status=Reminder.Status.QUEUED, claimed_at=now, claims=F("claims") + 1
            )
            for reminder_id in ids:
                transaction.on_commit(partial(send_reminder.delay, str(reminder_id)))
    return ids


def reminder_deliver(*, reminder_id: uuid.UUID | str) -> str:
    """Deliver one reminder once, in-app and by e-mail, in one transaction. Returns the outcome.

    One transaction, one commit: the row lock, the still-due check, the notification, the
    reminder marked sent, the e-mail and its ``emailed_at``. A worker that dies anywhere
    before the commit leaves nothing (PostgreSQL rolls it back) and the message
    (``acks_late``) is delivered again. An e-mail that fails to send does not undo the
    in-app delivery: it commits, and the e-mail goes to ``send_notification_email`` to retry.
    A redelivered message that finds the reminder sent and its e-mail still owed sends it.
    """
    from crisis_ops.notifications.tasks import notification_email_now, send_notification_email

    outcome, owed, failed = _deliver(reminder_id)
    if owed is not None:
        transaction.on_commit(partial(notification_email_now, owed))
    if failed is not None:
        transaction.on_commit(partial(send_notification_email.delay, failed))
    return outcome


@transaction.atomic
def _deliver(reminder_id: uuid.UUID | str) -> tuple[str, str | None, str | None]:
    """Returns the outcome, a notification whose e-mail a redelivery still owes, and one
    whose e-mail failed here (both to be sent after the commit)."""
    from crisis_ops.notifications import tasks as notification_tasks
    from crisis_ops.notifications.models import Notification

    reminder = (
        Reminder.objects.select_for_update()
        .select_related("recipient")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.status == Reminder.Status.CANCELLED:
        return "skipped", None, None
    if reminder.status == Reminder.Status.SENT:
        # Delivered before, and its e-mail failed then: a redelivered message sends it.
        unemailed = Notification.objects.filter(reminder=reminder, emailed_at__isnull=True)
        owed = unemailed.values_list("pk", flat=True).first()
        return "skipped", str(owed) if owed else None, None
    check = still_due_check(reminder.kind)
    if not reminder.recipient.is_active or (check is not None and not check(reminder)):
        reminder.status = Reminder.Status.CANCELLED
        reminder.save(update_fields=["status"])
        return "cancelled", None, None
    # One statement: INSERT … ON CONFLICT (reminder) DO UPDATE … RETURNING id. A notification
    # is only ever written in the transaction that marks its reminder sent, under this row
    # lock, so the conflict should never happen; if it does, the existing row is returned.
    (notification,) = Notification.objects.bulk_create(
        [
            Notification(
                reminder=reminder,
                recipient=reminder.recipient,
                kind=reminder.kind,
                object_type=reminder.object_type,
                object_id=reminder.object_id,
            )
        ],
        update_conflicts=True,
        unique_fields=["reminder"],
        update_fields=["reminder"],
    )
    reminder.status = Reminder.Status.SENT
    reminder.sent_at = timezone.now()
    reminder.attempts += 1
    reminder.save(update_fields=["status", "sent_at", "attempts"])
    try:
        notification_tasks.email_notification(notification)
    except DatabaseError:
        raise  # the transaction is broken: nothing commits, the task retries
    except Exception:
        # The mail server refused or timed out: the in-app notice still commits.
        logger.warning("e-mail of notification %s failed; queued to retry", notification.pk)
        return "sent", None, str(notification.pk)
    return "sent", None, None
