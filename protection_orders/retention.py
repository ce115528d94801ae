"""Protection orders in retention: "with a protection order" as a kind of case, an order
still active as a legal hold, and the purge of a survivor's orders, checks and violations.
Registered from ``ProtectionOrdersConfig.ready()``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crisis_ops.retention.registry import (
    Deleted,
    register_case_kind,
    register_hold,
    register_purger,
)
from protection_orders.models import PoliceCheck, ProtectionOrder, Violation

WITH_ORDER = "with_protection_order"
ORDER_ACTIVE = "protection_order_active"


def _with_order(case_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    orders = ProtectionOrder.objects.filter(case_id__in=list(case_ids))
    return set(orders.values_list("case_id", flat=True))


def _active(case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    held: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = ProtectionOrder.objects.filter(
        case_id__in=list(case_ids), status=ProtectionOrder.Status.ACTIVE
    ).values_list("case_id", "number", "expires_on")
    for case_id, number, expires_on in rows:
        held[case_id].append(
            _("Protection order %(number)s is active until %(day)s.")
            % {"number": number, "day": formats.date_format(expires_on)}
        )
    return held


def _purge(survivor_ids: Sequence[uuid.UUID]) -> Deleted:
    ids = list(survivor_ids)
    orders = ProtectionOrder.objects.filter(case__survivor_id__in=ids)
    deleted = {
        "protection_orders.policecheck": list(
            PoliceCheck.objects.filter(order__in=orders).values_list(
                "order__case__survivor_id", "pk"
            )
        ),
        "protection_orders.violation": list(
            Violation.objects.filter(order__in=orders).values_list("order__case__survivor_id", "pk")
        ),
        "protection_orders.protectionorder": list(orders.values_list("case__survivor_id", "pk")),
    }
    # An extension points at the order it extends (PROTECT): unlink the chain, then delete.
    orders.exclude(previous=None).update(previous=None)
    orders.delete()
    return deleted


def register() -> None:
    register_case_kind(
        WITH_ORDER, label=gettext_lazy("Cases with a protection order"), cases=_with_order
    )
    register_hold(ORDER_ACTIVE, label=gettext_lazy("A protection order is active"), held=_active)
    register_purger("protection_orders", order=30, purge=_purge)
