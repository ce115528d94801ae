"""Settings of the processes make bench-load starts (gunicorn and its Celery worker): the
production settings, unchanged, with every task on the benchmark's own queue so no other
worker on a shared Redis takes them."""

import os

from crisis_ops.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_QUEUE"]
