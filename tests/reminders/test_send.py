"""One reminder's send: the in-app notice and its e-mail in one transaction, in her language;
a mail server that fails leaves the notice delivered and the e-mail queued to retry."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from crisis_ops.notifications import tasks as notification_tasks
from crisis_ops.notifications.models import Notification
from crisis_ops.reminders import services
from crisis_ops.reminders.models import Reminder
from tests.cases.factories import intake
from tests.protection_orders.factories import record_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(personas):
    """A due 'order expiring' reminder, claimed by a sweep, its message not yet handled."""
    case = intake(personas.caseworker, personas.center)
    order = record_order(personas.caseworker, case)
    return Reminder.objects.create(
        kind="order_expiring",
        object_type="protection_orders.protectionorder",
        object_id=order.pk,
        recipient=personas.caseworker,
        due_at=timezone.now() - datetime.timedelta(minutes=5),
        key=f"test-send:{order.pk}",
        status=Reminder.Status.QUEUED,
        claimed_at=timezone.now(),
    ), case


def test_the_send_delivers_the_notice_and_its_email_in_kazakh_once(
    personas, queued, django_capture_on_commit_callbacks
):
    reminder, case = queued
    personas.caseworker.language = "kk"
    personas.caseworker.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        assert services.reminder_deliver(reminder_id=reminder.pk) == "sent"
    # A redelivered message finds it sent and e-mailed: nothing more.
    assert services.reminder_deliver(reminder_id=reminder.pk) == "skipped"

    notification = Notification.objects.get(reminder=reminder)
    assert notification.emailed_at is not None
    # The e-mail went out inside the delivery, not from a callback after it.
    assert after_commit == []
    (message,) = mail.outbox
    assert message.subject == (
        f"Crisis Ops: қорғау нұсқамасының мерзімі жақында аяқталады ({case.reference})"
    )


def test_a_mail_server_that_fails_leaves_the_notice_delivered_and_queues_the_email(
    personas, queued, monkeypatch, django_capture_on_commit_callbacks
):
    reminder, _ = queued

    def refused(notification):
        raise OSError("connection refused by the mail server")

    monkeypatch.setattr(notification_tasks, "email_notification", refused)
    retried: list[object] = []
    monkeypatch.setattr(notification_tasks.send_notification_email, "delay", retried.append)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminder_deliver(reminder_id=reminder.pk) == "sent"

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    notification = Notification.objects.get(reminder=reminder)
    assert notification.emailed_at is None
    assert retried == [str(notification.pk)]
    assert mail.outbox == []


def test_a_redelivered_message_sends_an_email_still_owed(
    personas, queued, monkeypatch, django_capture_on_commit_callbacks
):
    reminder, _ = queued
    monkeypatch.setattr(
        notification_tasks.send_notification_email, "delay", lambda notification_id: None
    )
    real = notification_tasks.email_notification

    def refused(notification):
        raise OSError("timed out")

    monkeypatch.setattr(notification_tasks, "email_notification", refused)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminder_deliver(reminder_id=reminder.pk)
    monkeypatch.setattr(notification_tasks, "email_notification", real)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminder_deliver(reminder_id=reminder.pk) == "skipped"

    assert Notification.objects.get(reminder=reminder).emailed_at is not None
    assert len(mail.outbox) == 1
