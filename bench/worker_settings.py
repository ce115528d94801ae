"""Settings of the worker bench/reminders.py starts: the test settings, with e-mail
rendered and written by the console backend (its stdout goes to /dev/null), and every
task, including the e-mail tasks it enqueues itself, on the benchmark's own queue so
no other worker on the shared Redis takes them."""

import os

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_QUEUE"]
