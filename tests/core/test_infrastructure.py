"""The foundation runs on PostgreSQL, Redis and Celery for real, not on stand-ins."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from crisis_ops.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_the_suite_runs_on_postgresql_and_redis():
    assert connection.vendor == "postgresql"
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert celery_app.conf.broker_url.startswith("redis://")


def test_the_cache_round_trips_through_redis():
    key = f"probe-{uuid.uuid4()}"
    cache.set(key, {"ok": "да"}, 30)

    assert cache.get(key) == {"ok": "да"}
    cache.delete(key)


def test_health_answers(client, db):
    response = client.get("/health")

    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_real_worker_runs_a_task_sent_through_redis():
    expired = Session.objects.create(
        session_key=uuid.uuid4().hex,
        session_data="",
        expire_date=timezone.now() - timedelta(days=1),
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": _url_of_test_database(),
        "KEYSTORE_DATABASE_URL": _url_of_test_database("keystore"),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "crisis_ops",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        celery_app.send_task("crisis_ops.core.tasks.clear_expired_sessions", queue=queue)
        deadline = time.monotonic() + 60
        while Session.objects.filter(pk=expired.pk).exists():
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the worker did not run the task within 60 s"
            time.sleep(0.2)  # waiting on another process, not on the clock
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _url_of_test_database(alias: str = "default") -> str:
    db = connections[alias].settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_health_answers_for_any_host_and_without_tls(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/health", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_says_down_when_the_database_does_not_answer(client, db, monkeypatch):
    from django.db import DatabaseError

    class Unreachable:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("crisis_ops.core.middleware.connection", Unreachable())

    response = client.get("/health")

    assert response.status_code == 503
