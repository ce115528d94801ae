"""Retention test data: cases closed at a chosen time, through the case services."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
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
