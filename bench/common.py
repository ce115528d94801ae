"""Shared plumbing for benchmarks: a dedicated database, timing, JSON results."""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def database_environment() -> dict[str, str]:
    """DATABASE_URL and KEYSTORE_DATABASE_URL of the databases this process is using now,
    for a server or worker it starts: under pytest those are the test databases, which
    the environment's URLs do not name."""
    from django.db import connections

    def url(alias: str) -> str:
        db = connections[alias].settings_dict
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"

    return {"DATABASE_URL": url("default"), "KEYSTORE_DATABASE_URL": url("keystore")}


def setup_django(database: str) -> None:
    """Point Django at a benchmark database of its own, create and migrate it."""
    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    os.environ["DATABASE_URL"] = base.rstrip("/") + "/" + database
    # Its own key store beside it, as in production (survivors' wrapped data keys).
    keystore = f"{database}_keystore"
    os.environ["KEYSTORE_DATABASE_URL"] = base.rstrip("/") + "/" + keystore
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    # One data key and one blind-index root, as in production outside a rotation
    # (the test keyring has two of each, and lookups try every root).
    from tests.settings import TEST_KEYRING

    os.environ["CRISIS_OPS_KEYRING"] = json.dumps(
        {
            "data_keys": {"t1": TEST_KEYRING["data_keys"]["t1"]},
            "active_data_key": "t1",
            "blind_index_keys": {"b1": TEST_KEYRING["blind_index_keys"]["b1"]},
            "active_blind_index_key": "b1",
        }
    )
    import psycopg2

    admin = psycopg2.connect(base.rstrip("/") + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        for name in (database, keystore):
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("migrate", database="keystore", verbosity=0)


def interleaved_medians(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds of each function, run in turn each round so noise hits all alike.

    The garbage collector is paused while a sample runs (as timeit does), so a
    collection triggered by one function's garbage is not billed to the next.
    """
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                fn()
                samples[name].append(time.perf_counter() - start)
            finally:
                gc.enable()
    return {name: statistics.median(values) for name, values in samples.items()}


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def write_results(name: str, results: dict[str, object], output: Path | None = None) -> Path:
    path = output or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    results = {
        **results,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
