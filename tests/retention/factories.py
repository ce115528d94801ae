"""Retention test data: cases closed at a chosen time, through the case services; scratch
PostgreSQL databases beside the test database, and manage.py run against them."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.db import connection
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, Survivor
from protection_orders import services as order_services
from protection_orders.models import OrderType
from tests.cases.factories import intake

ALMATY = ZoneInfo("Asia/Almaty")


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def closed_case(actor, organisation, closed_on: datetime.date, case: Case | None = None, **kw):
    """A case (a new intake, or ``case``) closed on that day."""
    with time_machine.travel(at(closed_on), tick=False):
        case = case or intake(actor, organisation, **kw)
        return case_services.case_change_status(
            actor=actor, case=case, status="closed", closed_reason="resolved"
        )


def order_on(case, personas, active=True):
    """A police protection order on her case, issued today."""
    order = order_services.order_create(
        actor=personas.caseworker,
        case=case,
        order_type=OrderType.objects.get(code="police-protection"),
        number="ЗП-0777",
        issuing_unit="УП Алмалинского района",
        issued_on=timezone.localdate(),
    )
    return order


def rows_reaching(survivor_id) -> dict[str, int]:
    """Every row anywhere that reaches this survivor through foreign keys."""
    counts = {}
    for model in apps.get_models():
        for path in _paths_to_survivor(model):
            n = model._base_manager.filter(**{path: survivor_id}).count()
            if n:
                counts[f"{model._meta.label_lower}:{path}"] = n
    return counts


def _paths_to_survivor(model, depth=0, seen=()):
    if model is Survivor:
        return ["pk"]
    if depth > 4 or model in seen:
        return []
    paths = []
    for field in model._meta.get_fields():
        if field.many_to_one and field.concrete and field.related_model is not None:
            for tail in _paths_to_survivor(field.related_model, depth + 1, (*seen, model)):
                paths.append(f"{field.name}__{tail}" if tail != "pk" else field.name)
    return paths


# --- scratch databases for restore drills, with real pg_dump / pg_restore ---------------


ROOT = Path(__file__).resolve().parents[2]


def _url_of(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _create(name: str) -> None:
    _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _execute(f'CREATE DATABASE "{name}"')


def _drop(name: str) -> None:
    _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_databases(*names: str) -> Iterator[tuple[str, ...]]:
    for name in names:
        _create(name)
    try:
        yield names
    finally:
        for name in names:
            _drop(name)


def manage_against(
    *args: str, main: str, keystore: str | None = None
) -> subprocess.CompletedProcess[str]:
    """manage.py in a process of its own, with its databases pointed at the scratch ones."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _url_of(main),
        "KEYSTORE_DATABASE_URL": _url_of(keystore or f"{main}_keystore"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
