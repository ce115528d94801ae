"""A purge killed half-way (SIGKILL of a real Celery worker) resumes and leaves no survivor
half-purged: her key and her rows are both gone, or (not yet reached) both there.

The worker runs retention's daily task against the test database through a throwaway
redis-server (the reminder fault tests' fixtures). The test holds a row lock on the third
survivor, so the worker purges the first two, destroys the third's key, then blocks in the
transaction that deletes her rows: that is where it is killed.
"""

from __future__ import annotations

import datetime
import signal

import pytest
from django.db import connections
from django.utils import timezone

from cases.models import Survivor
from crisis_ops.encryption.data_keys import survivor_key_exists
from crisis_ops.retention import services
from crisis_ops.retention.models import PurgeJob, PurgeSchedule
from crisis_ops.retention.tasks import retention_daily
from tests.reminders.test_faults import sending_through, until
from tests.retention.factories import closed_case

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "keystore"]
    ),
]

SURVIVORS = 6


def _waiting_on_a_lock() -> list[int]:
    """Backends of the test database waiting for a row lock (not this test's own)."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _state(survivor_id) -> tuple[bool, bool]:
    return survivor_key_exists(survivor_id=survivor_id), Survivor.objects.filter(
        pk=survivor_id
    ).exists()


def test_a_purge_killed_halfway_resumes_and_nobody_is_left_half_purged(personas, broker, workers):
    cases = [
        closed_case(personas.caseworker, personas.center, datetime.date(2015, 1, 1))
        for _ in range(SURVIVORS)
    ]
    ids = sorted(case.survivor_id for case in cases)
    assert all(_state(i) == (True, True) for i in ids)
    today = timezone.localdate()
    PurgeSchedule.objects.bulk_create(
        PurgeSchedule(
            organisation=personas.center,
            survivor_id=i,
            due_on=datetime.date(2020, 1, 1),
            notified_on=today - datetime.timedelta(days=31),
            purge_on=today - datetime.timedelta(days=1),
        )
        for i in ids
    )
    blocked = ids[2]
    worker = workers.start(RETENTION_PURGE_BATCH="1")

    lock = connections.create_connection("default")
    try:
        with lock.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT id FROM cases_survivor WHERE id = %s FOR UPDATE", [blocked])
            with sending_through(broker):
                retention_daily.delay()
            until(lambda: bool(_waiting_on_a_lock()), "the worker never reached the third survivor")
            [stuck] = _waiting_on_a_lock()

            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            # The killed worker's server backend would finish its statement once the lock
            # goes, then find its client gone and roll back; end it now instead.
            cursor.execute("SELECT pg_terminate_backend(%s)", [stuck])
            cursor.execute("ROLLBACK")
    finally:
        lock.close()

    # Killed: the first two are purged whole; the third's key is gone but her rows are
    # still there (unreadable) and the journal says she is half-way; the rest untouched.
    states = {i: _state(i) for i in ids}
    assert states[ids[0]] == states[ids[1]] == (False, False)
    assert states[blocked] == (False, True)
    assert all(states[i] == (True, True) for i in ids[3:])
    pending = PurgeJob.objects.filter(status=PurgeJob.Status.PENDING)
    assert [job.survivor_id for job in pending] == [blocked]
    assert pending[0].key_destroyed_at is not None

    # The next daily run finishes her first, then purges the rest.
    result = services.retention_daily()

    assert result["resumed"] == 1 and result["purged"] == SURVIVORS - 3
    assert all(_state(i) == (False, False) for i in ids)
    assert not PurgeJob.objects.filter(status=PurgeJob.Status.PENDING).exists()
    assert PurgeJob.objects.filter(status=PurgeJob.Status.DONE).count() == SURVIVORS
    assert "retention_daily" in workers.logs()
