"""Scratch PostgreSQL databases beside the test database, and manage.py run against them,
for restore drills with real pg_dump / pg_restore."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def url_of(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def create(name: str) -> None:
    _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _execute(f'CREATE DATABASE "{name}"')


def drop(name: str) -> None:
    _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch(*names: str) -> Iterator[tuple[str, ...]]:
    for name in names:
        create(name)
    try:
        yield names
    finally:
        for name in names:
            drop(name)


def manage(*args: str, main: str, keystore: str | None = None) -> subprocess.CompletedProcess[str]:
    """manage.py in a process of its own, with its databases pointed at the scratch ones."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url_of(main),
        "KEYSTORE_DATABASE_URL": url_of(keystore or f"{main}_keystore"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
