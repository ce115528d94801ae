"""A worker keeps its database connection between tasks, and still retires a bad one.

Celery's Django fixup closed every connection before and after each task, so each
reminder send opened a new PostgreSQL connection (a third of its time, profiled by
``python -m bench.reminders --sends-only --profile``). These tests drive the fixup's own
task hooks and ours, as a worker does around every task, without starting one.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup  # type: ignore[attr-defined]  # not in the stubs
from celery.signals import task_postrun, task_prerun
from django.db import connection

from crisis_ops.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)


class _WorkerTask:
    """The little of a Celery task the hooks read: a request that did not run eagerly."""

    request = SimpleNamespace(is_eager=False)


def _run_one_task() -> None:
    """What a worker does around a task: the fixup's hooks and the signals, as Celery sends them."""
    task = _WorkerTask()
    fixup = DjangoWorkerFixup(celery_app)
    fixup.on_task_prerun(task)
    task_prerun.send(sender=task, task=task, task_id="t")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    task_postrun.send(sender=task, task=task, task_id="t")
    fixup.on_task_postrun(task)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def test_a_worker_reuses_its_database_connection_across_tasks() -> None:
    before = _backend_pid()
    for _ in range(5):
        _run_one_task()
    assert _backend_pid() == before


def test_a_connection_older_than_conn_max_age_is_closed_after_a_task() -> None:
    before = _backend_pid()
    connection.close_at = time.monotonic() - 1
    _run_one_task()
    assert connection.connection is None or _backend_pid() != before


def test_a_connection_that_errored_and_is_unusable_is_closed_after_a_task() -> None:
    before = _backend_pid()
    connection.errors_occurred = True
    connection.connection.close()  # the server went away under it
    _run_one_task()
    assert _backend_pid() != before
