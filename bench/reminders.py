"""make bench-reminders: the reminder sweep's cost follows what is due, not what exists.

Seeds active 30-day police protection orders and their reminders (bench/reminders_seed.py);
reminders already due are marked sent, except exactly ``due`` of them left pending. Then
measures, in one run:

- sweep_s_10k / sweep_s_100k: one sweep (``reminders_claim_due``) with 1,000 reminders
  due among 10,000 and among 100,000 active orders, median of several rounds; the
  due rows are reset to pending between rounds. This is the DB claim only (SELECT …
  FOR UPDATE SKIP LOCKED, UPDATE, COMMIT): ``send_reminder.delay`` is replaced by a
  counter, and publishing to Redis is measured on its own as enqueue_s_1k;
- sweep_scaling_ratio: the second over the first (target at most 1.5);
- sweep_s_*_below_limit: the same with 999 due, one fewer than the sweep's limit;
- sends_per_s: one real worker process (``--pool=solo``, console mail backend to
  /dev/null) draining ``sends`` queued send tasks: each delivers the in-app
  notification and sends its e-mail (a second task); timed from the first publish
  until every e-mail is marked sent.

Run: python -m bench.reminders [--smoke]. Results: bench/results/reminders.json.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

from bench import common
from bench.reminders_seed import make_exactly_due, seed

FULL = {"orders_small": 10_000, "orders_large": 100_000, "due": 1_000, "sends": 2_000}
SMOKE = {"orders_small": 300, "orders_large": 1_200, "due": 40, "sends": 30}
ROUNDS = 7
ROOT = Path(__file__).resolve().parent.parent


# --- measuring ------------------------------------------------------------------------------


class _CountingTask:
    """Stands in for send_reminder while the sweep is timed: counts, publishes nothing."""

    def __init__(self) -> None:
        self.sent = 0

    def delay(self, *args: object) -> None:
        self.sent += 1


def measure_sweep(due: int, rounds: int = ROUNDS) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from crisis_ops.reminders.models import Reminder
    from crisis_ops.reminders.services import reminders_claim_due

    now = timezone.now()
    make_exactly_due(due, now)
    times = []
    for _ in range(rounds):
        counter = _CountingTask()
        with mock.patch("crisis_ops.reminders.tasks.send_reminder", counter):
            start = time.perf_counter()
            claimed = reminders_claim_due(now=now)
            times.append(time.perf_counter() - start)
        assert len(claimed) == counter.sent == due, (len(claimed), counter.sent, due)
        # Back to unclaimed, so the next round (and the claim limit) start from the same state.
        Reminder.objects.filter(pk__in=claimed).update(status="pending", claimed_at=None, claims=0)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Reminder._meta.db_table}")
    return {"median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4)}


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


def measure_sends(
    sends: int, recipients: tuple[Any, Any], profile: Path | None = None
) -> dict[str, Any]:
    """A real worker drains ``sends`` send tasks published to a queue of its own.

    With ``profile``, the worker runs under cProfile and writes its statistics there
    when it is stopped (slower: for finding what dominates, not for the figure).
    """
    from django.conf import settings
    from django.utils import timezone

    from crisis_ops.celery import app
    from crisis_ops.notifications.models import Notification
    from crisis_ops.reminders.models import Reminder

    queue = f"bench-reminders-{uuid.uuid4().hex[:8]}"
    now = timezone.now()
    caseworker = recipients[0]
    order_id = (
        Reminder.objects.filter(recipient=caseworker).values_list("object_id", flat=True).first()
    )
    assert order_id is not None, "the seeded orders have reminders"

    def queued(count: int, label: str) -> list[str]:
        # Queued as a sweep leaves them: due, claimed, their messages yet to be sent.
        rows = Reminder.objects.bulk_create(
            Reminder(
                kind="order_expiring",
                object_type="protection_orders.protectionorder",
                object_id=order_id,
                recipient=caseworker,
                due_at=now - datetime.timedelta(hours=1),
                key=f"bench-send:{label}:{uuid.uuid4()}",
                status=Reminder.Status.QUEUED,
                claimed_at=now,
            )
            for _ in range(count)
        )
        return [str(row.pk) for row in rows]

    def publish(ids: list[str]) -> float:
        start = time.perf_counter()
        with warnings.catch_warnings(), app.producer_or_acquire() as producer:
            warnings.simplefilter("ignore")  # send_task under an eager test config warns
            for reminder_id in ids:
                app.send_task(
                    "crisis_ops.reminders.tasks.send_reminder",
                    args=[reminder_id],
                    queue=queue,
                    producer=producer,
                )
        return time.perf_counter() - start

    def emailed(ids: list[str]) -> Any:
        return lambda: (
            Notification.objects.filter(reminder__in=ids, emailed_at__isnull=False).count()
            == len(ids)
        )

    warm, measured = queued(20, "warm"), queued(sends, "measured")
    profiled = ("-m", "cProfile", "-o", str(profile)) if profile else ()
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            *(sys.executable, *profiled, "-m", "celery", "-A", "crisis_ops", "worker"),
            "--pool=solo",
            *("-Q", queue, "--without-heartbeat", "--without-mingle", "--without-gossip"),
            *("-l", "warning"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.worker_settings",
            "BENCH_QUEUE": queue,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            **common.database_environment(),
            "REDIS_URL": settings.CELERY_BROKER_URL,
        },
        stdout=subprocess.DEVNULL,  # the console mail backend writes every e-mail here
        stderr=subprocess.DEVNULL,
    )
    try:
        publish(warm)  # the worker starts, connects and warms up on these, untimed
        _wait(emailed(warm), 120, "the worker did not send the warm-up reminders")
        start = time.perf_counter()
        enqueue_s = publish(measured)
        _wait(emailed(measured), 600, "the worker did not drain the queue")
        elapsed = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    sent = Reminder.objects.filter(pk__in=measured, status="sent").count()
    assert sent == sends, (sent, sends)
    return {
        "sends": sends,
        "sends_per_s": round(sends / elapsed, 1),
        "sends_drain_s": round(elapsed, 2),
        "enqueue_s_per_1k": round(enqueue_s / sends * 1000, 4),
    }


def run_sends(sizes: dict[str, int], profile: Path | None) -> dict[str, Any]:
    """Only the send figure, on the data already seeded: quicker, to profile a send."""
    seeded = seed(sizes["orders_large"])
    return measure_sends(sizes["sends"], seeded["recipients"], profile)


def run(sizes: dict[str, int], output: Path | None = None) -> dict[str, Any]:
    from bench.common import write_results

    due = sizes["due"]
    results: dict[str, Any] = {"sizes": sizes}
    figures: dict[str, dict[str, Any]] = {}
    for label, orders in (("10k", sizes["orders_small"]), ("100k", sizes["orders_large"])):
        seeded = seed(orders)
        results[f"orders_{label}"] = seeded["orders"]
        results[f"reminders_{label}"] = seeded["reminders"]
        results[f"seed_s_{label}"] = seeded["seed_s"]
        figures[label] = measure_sweep(due)
        results[f"sweep_s_{label}"] = figures[label]["median_s"]
        results[f"sweep_s_{label}_min"] = figures[label]["min_s"]
        results[f"sweep_s_{label}_below_limit"] = measure_sweep(due - 1, rounds=3)["median_s"]
    results["due"] = due
    results["sweep_scaling_ratio"] = round(results["sweep_s_100k"] / results["sweep_s_10k"], 3)
    results["sweep_measures"] = (
        "the DB claim only: SELECT ... FOR UPDATE SKIP LOCKED, UPDATE, COMMIT; "
        "send_reminder.delay replaced by a counter (publishing: enqueue_s_per_1k)"
    )
    results.update(measure_sends(sizes["sends"], seeded["recipients"]))
    results["sends_measures"] = (
        "one worker subprocess, --pool=solo, console e-mail backend to /dev/null: "
        "send_reminder plus the send_notification_email task it enqueues, per reminder"
    )
    results["targets"] = {"sweep_scaling_ratio_at_most": 1.5, "sends_per_s_at_least": 100}
    write_results("reminders", results, output)
    return results


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sends-only",
        action="store_true",
        help="measure sends_per_s alone, print it, write no results file",
    )
    parser.add_argument(
        "--profile", type=Path, help="with --sends-only: cProfile the worker into this file"
    )


def _run(sizes: dict[str, int], *, sends_only: bool, profile: Path | None) -> dict[str, Any]:
    return run_sends(sizes, profile) if sends_only else run(sizes)


def main() -> None:
    common.main(
        __doc__,
        database="crisis_ops_bench_reminders",
        run=_run,
        full=FULL,
        smoke=SMOKE,
        options=_options,
    )


if __name__ == "__main__":
    main()
