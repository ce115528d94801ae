import pytest
from django.core import mail

from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.tasks import send_notification_email

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []


class RecordingChannel:
    """What an SMS or Telegram channel would look like."""

    name = "recording"

    def can_reach(self, user):
        return True

    def send(self, user, subject, body):
        SENT.append((user.username, subject))


def _notification(personas):
    return Notification.objects.create(
        recipient=personas.caseworker,
        kind="high_risk",
        object_type="cases.case",
        object_id=personas.center.pk,
    )


def test_every_configured_channel_sends_once(personas, settings):
    settings.NOTIFICATION_CHANNELS = [
        "crisis_ops.notifications.channels.EmailChannel",
        "tests.notifications.test_channels.RecordingChannel",
    ]
    SENT.clear()
    notification = _notification(personas)

    send_notification_email(str(notification.pk))
    send_notification_email(str(notification.pk))  # a redelivered message

    assert len(mail.outbox) == 1
    assert [("alice", mail.outbox[0].subject)] == SENT


def test_the_mail_is_in_the_recipients_language(personas):
    personas.caseworker.language = "kk"
    personas.caseworker.save()

    send_notification_email(str(_notification(personas).pk))

    assert mail.outbox[0].subject == "Crisis Ops: істе жоғары қауіп анықталды"
