"""Reminders survive faults: a real worker process, a real (throwaway) Redis, real kills.

Each test runs against its own redis-server on a free port, so killing workers and
stopping Redis never touches the shared Redis, and a short visibility timeout never
redelivers another session's messages. The test process sends through that Redis
for real (not eagerly); workers run against the test database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connections, transaction
from django.db.models import Count
from django.utils import timezone
from kombu import pools
from kombu.exceptions import OperationalError as BrokerError

from crisis_ops.celery import app as celery_app
from crisis_ops.notifications.models import Notification
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.services import reminders_claim_due
from protection_orders import notifications, services
from protection_orders.models import OrderType, ProtectionOrder
from tests.cases.factories import intake

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 10
DEADLINE_S = 40
FAULT_WORKER = "tests.reminders.fault_worker"
# The kinds a protection order is reminded of; a stay-ending reminder naming an order
# would rightly be found no longer due and cancelled instead of sent.
ORDER_KINDS = [
    notifications.ORDER_EXPIRING,
    notifications.POLICE_CHECK_DUE,
    notifications.POLICE_CHECK_OVERDUE,
    notifications.ORDER_EXPIRED_NO_DECISION,
]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class ThrowawayRedis:
    """A redis-server of this test's own, with no persistence: stopping it loses everything."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        until(lambda: _pings(self.url), "redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def settled(self) -> bool:
        """No message waiting in the queue, none delivered and unacknowledged."""
        client = self.client()
        return client.llen("celery") == 0 and client.hlen("unacked") == 0


def _pings(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.ConnectionError:
        return False


def until(condition: Callable[[], bool], message: str, seconds: float = DEADLINE_S) -> None:
    """Poll another process's progress with a deadline (waiting on it, not on the clock)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)


@pytest.fixture
def broker(tmp_path) -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def sending_through(server: ThrowawayRedis) -> Iterator[None]:
    """This process's Celery app publishes to ``server`` for real instead of running eagerly."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    _forget_broker_connections()
    conf["broker_url"], conf.task_always_eager = server.url, False
    try:
        yield
    finally:
        _forget_broker_connections()
        conf["broker_url"], conf.task_always_eager = saved


def _forget_broker_connections() -> None:
    """Make the app build its connection and producer pools anew from broker_url.

    app.close() would also unregister the app, so the two cached pools are dropped
    by hand; kombu's global pools are keyed by URL and reset with them.
    """
    pools.reset()
    app: Any = celery_app  # the two pools are private: the stubs do not name them
    app._pool = None
    app.amqp._producer_pool = None


class Workers:
    """Real worker processes against the test database; every one is ended in ``close``."""

    def __init__(self, server: ThrowawayRedis, log_dir: Path) -> None:
        self.server = server
        self.log_dir = log_dir
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, app: str = "crisis_ops", **env: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"worker-{len(self.started)}.log").open("wb")
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", app, "worker", "--pool=solo"),
                *("--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "info"),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.settings",
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "DATABASE_URL": _url_of_test_database(),
                "KEYSTORE_DATABASE_URL": _url_of_test_database("keystore"),
                "REDIS_URL": self.server.url,
                **env,
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.started.append(worker)
        return worker

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log")))

    def close(self) -> None:
        for worker in self.started:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait(timeout=5)


@pytest.fixture
def workers(broker, tmp_path) -> Iterator[Workers]:
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    started = Workers(broker, log_dir)
    try:
        yield started
    finally:
        started.close()


def _url_of_test_database(alias: str = "default") -> str:
    db = connections[alias].settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def an_order(personas) -> ProtectionOrder:
    return services.order_create(
        actor=personas.caseworker,
        case=intake(personas.caseworker, personas.center),
        order_type=OrderType.objects.get(code="police-protection"),
        number="ЗП-0142",
        issuing_unit="УП Алмалинского района",
        issued_on=timezone.localdate(),
    )


def due_reminders(order: ProtectionOrder, user, count: int = REMINDERS) -> set[uuid.UUID]:
    """``count`` reminders of an active order, due a minute ago, as the sweep finds them."""
    kinds = ORDER_KINDS
    rows = Reminder.objects.bulk_create(
        Reminder(
            kind=kinds[n % len(kinds)],
            object_type=order._meta.label_lower,
            object_id=order.pk,
            recipient=user,
            due_at=timezone.now() - timedelta(minutes=1),
            key=f"fault-test:{order.pk}:{n}",
        )
        for n in range(count)
    )
    return {row.pk for row in rows}


def sweep(*, now=None) -> list[uuid.UUID]:
    """One sweep as beat runs it: claim, commit, publish on commit."""
    assert not transaction.get_connection().in_atomic_block
    return reminders_claim_due(now=now)


def all_sent(ids: set[uuid.UUID]) -> Callable[[], bool]:
    return lambda: Reminder.objects.filter(pk__in=ids, status="sent").count() == len(ids)


def assert_delivered_exactly_once(ids: set[uuid.UUID]) -> None:
    assert set(Reminder.objects.filter(status="sent").values_list("pk", flat=True)) == ids
    per_reminder = dict(
        Notification.objects.filter(reminder__in=ids)
        .values_list("reminder")
        .annotate(n=Count("pk"))
        .values_list("reminder", "n")
    )
    assert per_reminder == dict.fromkeys(ids, 1)
    # attempts counts successful deliveries: a redelivered message found the row sent.
    assert set(Reminder.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


@pytest.mark.parametrize("killed_at", ["in_transaction", "after_commit"])
def test_a_worker_killed_mid_send_leaves_each_reminder_delivered_exactly_once(
    personas, broker, workers, tmp_path, killed_at
):
    ids = due_reminders(an_order(personas), personas.caseworker)
    marker = tmp_path / "paused"
    # Short visibility timeout (test-only): the killed worker's unacknowledged message
    # is handed to the next worker within seconds instead of an hour.
    fast_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "2"}
    slow = workers.start(
        FAULT_WORKER,
        SLOW_WORKER_PAUSE_AT=killed_at,
        SLOW_WORKER_MARKER=str(marker),
        **fast_redelivery,
    )

    with sending_through(broker):
        assert set(sweep()) == ids
    until(marker.exists, f"the slow worker never started a delivery:\n{workers.logs()}")
    in_flight = uuid.UUID(marker.read_text().strip())
    # The kill lands where we meant: before the delivery committed, or after.
    expected = "queued" if killed_at == "in_transaction" else "sent"
    assert Reminder.objects.get(pk=in_flight).status == expected
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)
    assert broker.client().hlen("unacked") == 1  # the broker still holds it, unacknowledged

    workers.start(FAULT_WORKER, **fast_redelivery)
    until(all_sent(ids), f"not every reminder was sent:\n{workers.logs()}")
    until(broker.settled, f"the killed worker's message was not redelivered:\n{workers.logs()}")

    assert_delivered_exactly_once(ids)
    assert "send_reminder" in workers.logs()


def test_a_worker_killed_just_before_the_email_leaves_nothing_and_the_redelivery_sends_once(
    personas, broker, workers, tmp_path
):
    """The delivery and its e-mail are one transaction: a worker dying with the notification
    written and the e-mail not yet sent leaves no notification and the reminder unsent. The
    redelivered message delivers it and sends its e-mail, once."""
    ids = due_reminders(an_order(personas), personas.caseworker)
    marker, outbox = tmp_path / "paused", tmp_path / "outbox"
    outbox.mkdir()
    env = {"CELERY_VISIBILITY_TIMEOUT": "2", "SENT_MAIL_DIR": str(outbox)}
    slow = workers.start(
        FAULT_WORKER, SLOW_WORKER_PAUSE_AT="before_email", SLOW_WORKER_MARKER=str(marker), **env
    )

    with sending_through(broker):
        assert set(sweep()) == ids
    until(marker.exists, f"the slow worker never reached an e-mail:\n{workers.logs()}")
    paused = marker.read_text().strip()
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)
    # Nothing of that delivery was committed: no notification, the reminder still queued.
    assert not Notification.objects.filter(pk=paused).exists()
    assert Reminder.objects.filter(pk__in=ids, status="queued").exists()
    assert not any(outbox.iterdir())

    workers.start(FAULT_WORKER, **env)
    until(all_sent(ids), f"not every reminder was sent:\n{workers.logs()}")
    notifications = Notification.objects.filter(reminder__in=ids)
    until(
        lambda: not notifications.filter(emailed_at__isnull=True).exists(),
        f"not every e-mail was sent:\n{workers.logs()}",
    )
    until(broker.settled, f"the killed worker's message was not redelivered:\n{workers.logs()}")

    assert_delivered_exactly_once(ids)
    sent = "".join(path.read_text() for path in outbox.iterdir())
    # The killed worker sent nothing; every reminder's e-mail went out exactly once.
    assert sent.count("\nSubject: ") == len(ids), sent


def test_redis_stopped_during_a_sweep_loses_nothing(personas, broker, workers):
    """Claiming commits before publishing: with Redis down the rows stay QUEUED in
    PostgreSQL, and the sweep after REMINDER_REQUEUE_AFTER claims and sends them again.

    The sweep's failed publish raises after its commit (Django runs on_commit callbacks
    after COMMIT and does not swallow their errors), so the sweep task is logged as
    failed, visible to an admin, and the remaining publishes are skipped rather than
    each waiting out its retries against a dead broker.
    """
    from django.conf import settings

    ids = due_reminders(an_order(personas), personas.caseworker)
    workers.start()
    broker.stop()

    with sending_through(broker):
        with pytest.raises(BrokerError):
            sweep()
        assert set(Reminder.objects.filter(status="queued").values_list("pk", flat=True)) == ids
        assert sweep() == []  # claimed: not sent twice while their messages may be in flight

        broker.start()  # an empty Redis: every message of the first sweep is gone
        later = timezone.now() + settings.REMINDER_REQUEUE_AFTER + timedelta(seconds=1)
        assert set(sweep(now=later)) == ids

    until(all_sent(ids), f"not every reminder was sent after Redis came back:\n{workers.logs()}")
    until(broker.settled, f"messages left in Redis:\n{workers.logs()}")
    assert_delivered_exactly_once(ids)


def test_a_rolled_back_order_leaves_no_reminder_and_sends_nothing(personas, broker):
    """As test_reminders checks inside a savepoint, but with a real outermost transaction
    rolled back and a real broker listening: no row, and no message published."""
    case = intake(personas.caseworker, personas.center)
    with sending_through(broker):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.order_create(
                actor=personas.caseworker,
                case=case,
                order_type=OrderType.objects.get(code="police-protection"),
                number="1",
                issuing_unit="УП",
                issued_on=timezone.localdate() - timedelta(days=8),
            )
            assert Reminder.objects.exists()
            raise RuntimeError("the request failed after the order was written")
        assert sweep(now=timezone.now() + timedelta(days=40)) == []

    assert not Reminder.objects.exists()
    assert not ProtectionOrder.objects.exists()
    assert broker.client().llen("celery") == 0
