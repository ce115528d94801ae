"""The reminder engine: schedule in the writer's transaction, claim what is due,
deliver each reminder exactly once."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.registry import register_still_due, reminder_kinds, still_due_check

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
    """Deliver one reminder once: in-app in a transaction, then its e-mail. Returns the outcome.

    The e-mail goes out in this same task right after the commit, not as a second task
    (one broker round trip, one task and one more connection check fewer per send). If it
    fails, it is handed to ``send_notification_email`` to retry. If the worker dies
    between the commit and the e-mail, the message (``acks_late``) is delivered again,
    finds the reminder sent and its notification not yet e-mailed, and e-mails it.
    """
    from crisis_ops.notifications.tasks import notification_email_now

    outcome, notification_id = _deliver_in_app(reminder_id)
    if notification_id is not None:
        # At once in a worker (autocommit); after the commit inside a caller's transaction.
        transaction.on_commit(partial(notification_email_now, notification_id))
    return outcome


@transaction.atomic
def _deliver_in_app(reminder_id: uuid.UUID | str) -> tuple[str, str | None]:
    """The row lock, the still-due check and the in-app notification, in one transaction.

    Returns the outcome and the notification whose e-mail is owed, if any.
    """
    from crisis_ops.notifications.models import Notification

    reminder = (
        Reminder.objects.select_for_update()
        .select_related("recipient")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.status == Reminder.Status.CANCELLED:
        return "skipped", None
    if reminder.status == Reminder.Status.SENT:
        # Delivered before; a redelivered message still owes the e-mail if it never went.
        unemailed = Notification.objects.filter(reminder=reminder, emailed_at__isnull=True)
        owed = unemailed.values_list("pk", flat=True).first()
        return "skipped", str(owed) if owed else None
    check = still_due_check(reminder.kind)
    if not reminder.recipient.is_active or (check is not None and not check(reminder)):
        reminder.status = Reminder.Status.CANCELLED
        reminder.save(update_fields=["status"])
        return "cancelled", None
    # One statement: INSERT … ON CONFLICT (reminder) DO UPDATE … RETURNING id. A notification
    # is only ever written in the transaction that marks its reminder sent, under this row
    # lock, so the conflict should never happen; if it does, the existing row is returned.
    # get_or_create spent a SELECT and a savepoint (three more round trips) on every send.
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
    # A conflict returns the existing row's id; its e-mail task skips it if already e-mailed.
    return "sent", str(notification.pk)
