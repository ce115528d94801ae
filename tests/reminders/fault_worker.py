"""A Celery app for fault tests only: the real app, redelivering fast, optionally pausing.

Started as ``celery -A tests.reminders.fault_worker worker``. Production code
is untouched; in this worker process alone:

- the Redis transport looks for unacknowledged messages of dead workers every second
  (kombu's default is every 100 s), so with a short ``CELERY_VISIBILITY_TIMEOUT`` a
  killed worker's message is redelivered within seconds;
- with ``SLOW_WORKER_PAUSE_AT`` set, ``reminder_deliver`` pauses in the first delivery
  and writes the reminder id to ``SLOW_WORKER_MARKER``, so a test can SIGKILL the
  worker at a known point, having waited for that file rather than for time:
  ``in_transaction``: the notification is written and the reminder marked sent, but
  nothing is committed (PostgreSQL rolls it back when the process dies);
  ``after_commit``: the delivery is committed, the message not yet acknowledged;
  ``before_email``: the notification is written and the reminder marked sent, its e-mail
  not yet sent, nothing committed (one transaction holds the delivery and the e-mail);
- with ``SENT_MAIL_DIR`` set, e-mail is written there (one file per message sent), so a
  test can count what went out of any worker.
"""

import os
import time
from pathlib import Path

import django
from django.db import transaction

from crisis_ops.celery import app

__all__ = ["app"]

django.setup()
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

from django.conf import settings  # noqa: E402

from crisis_ops.notifications import tasks as notification_tasks  # noqa: E402
from crisis_ops.reminders import services  # noqa: E402

if os.environ.get("SENT_MAIL_DIR"):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = os.environ["SENT_MAIL_DIR"]

_deliver = services.reminder_deliver
_PAUSE_AT = os.environ.get("SLOW_WORKER_PAUSE_AT", "")


def _pause(reminder_id: object) -> None:
    Path(os.environ["SLOW_WORKER_MARKER"]).write_text(f"{reminder_id}\n")
    time.sleep(120)  # the test kills this process long before


def _slow_email(notification):
    _pause(notification.pk)


def _slow_deliver(*, reminder_id):
    if _PAUSE_AT == "in_transaction":
        with transaction.atomic():
            outcome = _deliver(reminder_id=reminder_id)
            _pause(reminder_id)
        return outcome
    outcome = _deliver(reminder_id=reminder_id)
    _pause(reminder_id)
    return outcome


if _PAUSE_AT == "before_email":
    notification_tasks.email_notification = _slow_email
elif _PAUSE_AT:
    services.reminder_deliver = _slow_deliver
