"""The case timeline's lines about protection orders: issued, ended, police checks and
violations (registered with cases.timeline, three queries whatever the case holds)."""

from __future__ import annotations

from cases.models import Case
from cases.timeline import Entry, register_timeline_source
from crisis_ops.accounts.models import User
from protection_orders.models import PoliceCheck, ProtectionOrder, Violation

TEMPLATE = "protection_orders/_timeline_entry.html"


def case_entries(*, case: Case, user: User | None = None) -> list[Entry]:
    """The case's orders and what happened under them. The caller has checked the case is
    hers to see; an order is visible exactly when its case is."""
    entries = []
    for order in ProtectionOrder.objects.filter(case=case).select_related("order_type"):
        entries.append(Entry(order.issued_on, "order.issued", order, template=TEMPLATE))
        if order.status == ProtectionOrder.Status.REVOKED:
            entries.append(Entry(order.updated_at, "order.revoked", order, template=TEMPLATE))
        elif order.status == ProtectionOrder.Status.EXPIRED:
            entries.append(Entry(order.expires_on, "order.expired", order, template=TEMPLATE))
    for check in PoliceCheck.objects.filter(order__case=case).select_related(
        "order__order_type", "recorded_by"
    ):
        entries.append(
            Entry(check.checked_on, "order.check", check, check.recorded_by, template=TEMPLATE)
        )
    for violation in Violation.objects.filter(order__case=case).select_related(
        "order__order_type", "recorded_by"
    ):
        entries.append(
            Entry(
                violation.occurred_on,
                "order.violation",
                violation,
                violation.recorded_by,
                template=TEMPLATE,
            )
        )
    return entries


def register() -> None:
    register_timeline_source("protection_orders", case_entries)
