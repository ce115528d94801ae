"""Shared plumbing for benchmarks: a dedicated database, seeding by COPY, a signed-in client,
timing, JSON results, and the command line every ``python -m bench.<name>`` has."""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import json
import os
import platform
import socket
import statistics
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

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


def interleaved_samples(
    fns: dict[str, Callable[[], object]], rounds: int
) -> dict[str, list[float]]:
    """Milliseconds of every call, the functions taking turns (and turns about) each round."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for i in range(rounds):
        order = names if i % 2 == 0 else names[::-1]
        # One round of interleaved_medians is one timed call of each, with the GC paused.
        for name, seconds in interleaved_medians({n: fns[n] for n in order}, 1).items():
            samples[name].append(seconds * 1000)
    return samples


# --- seeding by COPY ---------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class CopyTable:
    """One table's COPY: its columns, and how a row of values by field name becomes a line.

    Encrypted fields are sealed and blind indexes computed here, as ``save()`` would."""

    def __init__(self, model: Any) -> None:
        from crisis_ops.encryption.blind_index import BlindIndexField
        from crisis_ops.encryption.field_base import EncryptedField

        self.model = model
        self.fields = model._meta.concrete_fields
        self.columns = [f.column for f in self.fields]
        self.encrypted = {f.name for f in self.fields if isinstance(f, EncryptedField)}
        self.indexes = [f for f in self.fields if isinstance(f, BlindIndexField)]
        self.instance = model()
        self.buffer = io.StringIO()

    def add(self, values: dict[str, Any]) -> None:
        cells = []
        instance = self.instance
        if self.encrypted or self.indexes:
            instance.pk = values["id"]
            for name in self.encrypted:
                setattr(instance, name, values[name])
        for field in self.fields:
            if field.name in self.encrypted:
                value = values[field.name]
                cells.append(
                    "\\N" if value is None else "\\\\x" + field.encrypt_value(instance, value).hex()
                )
            elif field in self.indexes:
                cells.append(_cell(field.token_for(instance)))
            elif field.name in values:
                cells.append(_cell(values[field.name]))
            else:  # a column added since the seed's rows were written: its default
                cells.append(_cell(field.get_default()))
        self.buffer.write("\t".join(cells) + "\n")

    def copy(self, cursor: Any) -> None:
        self.buffer.seek(0)
        cursor.copy_expert(
            f"COPY {self.model._meta.db_table} ({', '.join(self.columns)}) FROM STDIN",
            self.buffer,
        )
        self.buffer = io.StringIO()


# --- pages through the test client -------------------------------------------------------------


def signed_in_client(user: Any) -> Any:
    from django.test import Client

    from tests.personas import sign_in

    return sign_in(Client(), user)


def getter(client: Any, url: str, params: dict[str, str] | None = None) -> Callable[[], Any]:
    def get() -> Any:
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def count_queries(get: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get()
    return len(captured.captured_queries)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def collect_static_if_stale() -> None:
    """Pages name hashed static files, so the manifest must be current (as tests/conftest.py)."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [p for d in settings.STATICFILES_DIRS for p in Path(d).rglob("*") if p.is_file()]
    if not manifest.exists() or any(p.stat().st_mtime >= manifest.stat().st_mtime for p in sources):
        call_command("collectstatic", interactive=False, verbosity=0)


# --- the command line ---------------------------------------------------------------------------


def main(
    description: str | None,
    *,
    database: str,
    run: Callable[..., dict[str, Any]],
    full: dict[str, int],
    smoke: dict[str, int],
    pages: bool = False,
    quiet: Collection[str] = ("sizes",),
    options: Callable[[argparse.ArgumentParser], None] | None = None,
) -> dict[str, Any]:
    """``python -m bench.<name> [--smoke]``: its database (``<database>_smoke`` for tiny sizes),
    the static manifest if it measures ``pages``, then ``run(sizes, **options)`` and every
    figure printed but the ``quiet`` ones. Returns the results."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to prove it runs")
    if options is not None:
        options(parser)
    arguments = vars(parser.parse_args())
    tiny = arguments.pop("smoke")
    setup_django(f"{database}_smoke" if tiny else database)
    if pages:
        collect_static_if_stale()
    results = run(smoke if tiny else full, **arguments)
    for key, value in results.items():
        if key not in quiet:
            print(f"{key}: {value}")
    return results
