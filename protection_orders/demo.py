"""Demo orders for ``manage.py seed_demo``: one due for a police check soon, one overdue."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from crisis_ops.core.demo import register_seeder
from protection_orders import (
    demo_history,  # noqa: F401 - registers the history seeder after this one
    services,
)
from protection_orders.models import OrderType, ProtectionOrder

# Days ago each demo order was issued: a check due tomorrow, a check two days overdue.
ISSUED_DAYS_AGO = (6, 9)


@register_seeder(order=20)
@transaction.atomic
def seed_orders(write: Callable[[str], None]) -> None:
    order_type = OrderType.objects.get(code="police-protection")
    today = timezone.localdate()
    for organisation_id in Case.objects.values_list("organisation_id", flat=True).distinct():
        if ProtectionOrder.objects.filter(case__organisation_id=organisation_id).exists():
            continue
        cases = Case.objects.filter(organisation_id=organisation_id).select_related(
            "assigned_to", "survivor"
        )
        for number, (case, days_ago) in enumerate(zip(cases, ISSUED_DAYS_AGO, strict=False), 1):
            services.order_create(
                actor=case.assigned_to,  # type: ignore[arg-type]
                case=case,
                order_type=order_type,
                number=f"ЗП-{today:%y}-{number:04d}",
                issuing_unit="УП района",
                issued_on=today - datetime.timedelta(days=days_ago),
                conditions="Не приближаться к ней ближе 100 м, не звонить.",
            )
        write(f"  {len(ISSUED_DAYS_AGO)} demo protection orders in {cases[0].organisation.name}")
