"""Two years of demo protection orders for ``seed_demo``: orders of the history cases, every
one already over (no reminder of the past fires today), with police checks on time, late or
missing, and violations, so issued/expired/violated and check compliance have figures.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cases.demo_history import REFERENCE_PREFIX, uuid_from
from cases.models import Case, Incident
from crisis_ops.core.demo import register_seeder
from protection_orders.models import OrderType, PoliceCheck, ProtectionOrder, Violation

ORDER_SHARE = 0.55  # of incidents reported to the police
UNITS = ("УП Алмалинского района", "УП района Сарыарка", "УП Абайского района", "ОП №2")


@register_seeder(order=60)
@transaction.atomic
def seed_order_history(write: Callable[[str], None]) -> None:
    if ProtectionOrder.objects.filter(number__contains="-H").exists():
        return
    order_type = OrderType.objects.get(code="police-protection")
    today = timezone.localdate()
    rng = random.Random("history-orders")  # noqa: S311 - demo data
    incidents = (
        Incident.objects.filter(
            case__reference__startswith=REFERENCE_PREFIX, reported_to_police=True
        )
        .select_related("case")
        .order_by("case__reference", "occurred_on")
    )
    orders: list[ProtectionOrder] = []
    checks: list[PoliceCheck] = []
    violations: list[Violation] = []
    for incident in incidents:
        issued = incident.occurred_on + datetime.timedelta(days=rng.randrange(3))
        expires = issued + datetime.timedelta(days=order_type.max_duration_days)
        if rng.random() >= ORDER_SHARE or expires >= today:
            continue
        order = ProtectionOrder(
            id=uuid_from(rng),
            case=incident.case,
            order_type=order_type,
            number=f"ЗП-{issued:%y}-H{len(orders) + 1:05d}",
            issuing_unit=rng.choice(UNITS),
            issued_on=issued,
            expires_on=expires,
            status=ProtectionOrder.Status.EXPIRED,
            expiry_decision=rng.choice(("lapse", "lapse", "extend", "court")),
            decided_at=timezone.make_aware(datetime.datetime.combine(expires, datetime.time(9))),
        )
        orders.append(order)
        _checks(rng, order, order_type, incident.case, checks, violations)
    ProtectionOrder.objects.bulk_create(orders, batch_size=500)
    PoliceCheck.objects.bulk_create(checks, batch_size=500)
    Violation.objects.bulk_create(violations, batch_size=500)
    write(
        f"  history: {len(orders)} expired protection orders, {len(checks)} police checks, "
        f"{len(violations)} violations"
    )


def _checks(
    rng: random.Random,
    order: ProtectionOrder,
    order_type: OrderType,
    case: Case,
    checks: list[PoliceCheck],
    violations: list[Violation],
) -> None:
    step = datetime.timedelta(days=order_type.check_interval_days)
    due = order.issued_on + step
    # Some districts check reliably, some do not: compliance differs by order, not only by check.
    reliability = rng.choice((0.95, 0.85, 0.7, 0.5))
    while due <= order.expires_on:
        roll = rng.random()
        if roll < reliability:
            day = due - datetime.timedelta(days=rng.randrange(2))
        elif roll < reliability + (1 - reliability) / 2:
            day = due + datetime.timedelta(days=rng.randint(1, 4))  # late
        else:
            day = None  # missed
        if day is not None:
            outcome = rng.choices(("complied", "violation", "not_found"), (85, 9, 6))[0]
            checks.append(
                PoliceCheck(
                    id=uuid_from(rng),
                    order=order,
                    checked_on=min(day, order.expires_on),
                    unit_officer=order.issuing_unit,
                    outcome=outcome,
                    recorded_by=case.assigned_to,
                )
            )
            if outcome == "violation":
                violations.append(
                    Violation(
                        id=uuid_from(rng),
                        order=order,
                        occurred_on=min(day, order.expires_on) - datetime.timedelta(days=1),
                        description="Звонил ей и угрожал (по словам участкового).",
                        reported_to_police=True,
                        recorded_by=case.assigned_to,
                    )
                )
        due += step
