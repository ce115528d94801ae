"""bench-reminders' data: active 30-day police protection orders and their reminders.

The orders are issued over the last 30 days; each gets the reminders ``order_plans`` writes
for it (18: four expiry warnings, four checks due, four overdue checks and the missing
decision, the last two escalated to the supervisor too), by COPY. Reseeded on another day.
"""

from __future__ import annotations

import datetime
import io
import sys
import time
import uuid
from typing import Any

CHUNK = 10_000


def _staff() -> tuple[Any, Any, Any, Any]:
    """A center with a caseworker and a supervisor (both with e-mail), and a few cases."""
    from cases.models import Case
    from crisis_ops.accounts.models import User
    from crisis_ops.organisations.models import Membership, Organisation, Region
    from crisis_ops.organisations.roles import Role
    from tests.cases.factories import intake

    organisation, _ = Organisation.objects.get_or_create(
        name="Bench reminders center",
        defaults={"kind": Organisation.Kind.NGO, "region": Region.objects.order_by("code")[0]},
    )
    people = []
    for username, role in (("caseworker", Role.CASEWORKER), ("supervisor", Role.SUPERVISOR)):
        user, _ = User.objects.get_or_create(
            username=f"bench-reminders-{username}",
            defaults={"language": "ru", "email": f"{username}@bench.invalid"},
        )
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        people.append(user)
    caseworker, supervisor = people
    cases = list(Case.objects.filter(organisation=organisation)[:20])
    while len(cases) < 20:
        cases.append(intake(caseworker, organisation))
    return organisation, caseworker, supervisor, cases


def _reminder_rows(order: Any, caseworker: Any, supervisor: Any) -> list[tuple[Any, ...]]:
    """What order_plans writes for an order whose case is assigned to the caseworker."""
    from crisis_ops.reminders.services import Plan, local_send_time
    from protection_orders import notifications as kind

    both = (caseworker, supervisor)
    plans = [
        Plan(kind.ORDER_EXPIRING, order, caseworker, order.expires_on - datetime.timedelta(d))
        for d in (7, 3, 1, 0)
    ]
    for due in order.check_due_dates():
        plans.append(Plan(kind.POLICE_CHECK_DUE, order, caseworker, due))
        overdue = due + datetime.timedelta(days=1)
        plans += [Plan(kind.POLICE_CHECK_OVERDUE, order, user, overdue) for user in both]
    after = order.expires_on + datetime.timedelta(days=1)
    plans += [Plan(kind.ORDER_EXPIRED_NO_DECISION, order, user, after) for user in both]
    return [(plan, local_send_time(plan.day)) for plan in plans]


def seed(orders: int) -> dict[str, Any]:
    """Grow the bench data to ``orders`` active orders with their reminders (resumable)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from crisis_ops.reminders.models import Reminder
    from protection_orders.models import OrderType, ProtectionOrder

    start = time.perf_counter()
    today = timezone.localdate()
    latest = ProtectionOrder.objects.order_by("-issued_on").values_list("issued_on", flat=True)
    if latest and (latest[0] != today or ProtectionOrder.objects.count() > orders):
        # Seeded on another day (the orders are no longer spread over the last 30 days),
        # or bigger than this measurement wants: start again.
        with connection.cursor() as cursor:
            cursor.execute(
                f"TRUNCATE {Reminder._meta.db_table}, {ProtectionOrder._meta.db_table} CASCADE"
            )
    _organisation, caseworker, supervisor, cases = _staff()
    order_type = OrderType.objects.get(code="police-protection")
    have = ProtectionOrder.objects.count()
    now = timezone.now()
    columns = "id, kind, object_type, object_id, recipient_id, due_at, key, status, "
    columns += "claimed_at, claims, sent_at, attempts, last_error, created_at"
    for chunk_start in range(have, orders, CHUNK):
        batch = []
        for n in range(chunk_start, min(orders, chunk_start + CHUNK)):
            issued = today - datetime.timedelta(days=n % 30)
            batch.append(
                ProtectionOrder(
                    case=cases[n % len(cases)],
                    order_type=order_type,
                    number=f"ЗП-{n:06d}",
                    issuing_unit="УП Алмалинского района",
                    issued_on=issued,
                    expires_on=issued + datetime.timedelta(days=order_type.max_duration_days - 1),
                )
            )
        buffer = io.StringIO()
        for order in batch:
            for plan, due_at in _reminder_rows(order, caseworker, supervisor):
                sent = due_at <= now
                cells = (
                    uuid.uuid4(),
                    plan.kind,
                    "protection_orders.protectionorder",
                    order.pk,
                    plan.recipient.pk,
                    due_at.isoformat(),
                    plan.key,
                    "sent" if sent else "pending",
                    due_at.isoformat() if sent else "\\N",
                    1 if sent else 0,
                    due_at.isoformat() if sent else "\\N",
                    1 if sent else 0,
                    "",
                    now.isoformat(),
                )
                buffer.write("\t".join(str(c) for c in cells) + "\n")
        buffer.seek(0)
        with transaction.atomic():
            ProtectionOrder.objects.bulk_create(batch, batch_size=2000)
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY {Reminder._meta.db_table} ({columns}) FROM STDIN", buffer)
        print(f"  seeded {min(orders, chunk_start + CHUNK):,} / {orders:,} orders", file=sys.stderr)
    return {
        "orders": ProtectionOrder.objects.filter(status="active").count(),
        "reminders": Reminder.objects.count(),
        "seed_s": round(time.perf_counter() - start, 1),
        "recipients": (caseworker, supervisor),
    }


def make_exactly_due(due: int, now: datetime.datetime) -> None:
    """Every reminder due by ``now`` is sent, except the ``due`` latest, left pending."""
    from django.db import connection

    from crisis_ops.reminders.models import Reminder

    table = Reminder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = 'sent', sent_at = due_at, claimed_at = due_at"  # noqa: S608
            " WHERE status IN ('pending', 'queued') AND due_at <= %s",
            [now],
        )
        cursor.execute(
            f"UPDATE {table} SET status = 'pending', sent_at = NULL, claimed_at = NULL, claims = 0"  # noqa: S608
            f" WHERE id IN (SELECT id FROM {table} WHERE due_at <= %s"
            " ORDER BY due_at DESC, id LIMIT %s)",
            [now, due],
        )
        cursor.execute(f"VACUUM ANALYZE {table}")
