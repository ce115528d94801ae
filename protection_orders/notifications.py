"""The protection-order reminders' notifications, and what they are about.

Registered from ``ProtectionOrdersConfig.ready()``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.notifications import case_subject
from cases.selectors import case_scope_q
from crisis_ops.accounts.models import User
from crisis_ops.notifications.kinds import register_kind
from crisis_ops.notifications.subjects import Subject, register_subject
from protection_orders.models import ProtectionOrder

ORDER_EXPIRING = "order_expiring"
POLICE_CHECK_DUE = "police_check_due"
POLICE_CHECK_OVERDUE = "police_check_overdue"
ORDER_EXPIRED_NO_DECISION = "order_expired_no_decision"


def _visible_orders(*, user: User, object_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Subject]:
    """An order opens on its own page, for those who may see its case. One query."""
    rows = ProtectionOrder.objects.filter(
        pk__in=list(object_ids), case__in=Case.objects.filter(case_scope_q(user=user))
    ).values_list("pk", "case_id", "case__reference")
    return {
        pk: case_subject(case_id, ref, reverse("protection_orders:order_detail", args=[pk]))
        for pk, case_id, ref in rows
    }


def _order_reference(*, user: User, object_id: uuid.UUID) -> str:
    orders = ProtectionOrder.objects.filter(pk=object_id)
    return orders.values_list("case__reference", flat=True).first() or ""


def register() -> None:
    register_subject(
        "protection_orders.protectionorder", visible=_visible_orders, reference=_order_reference
    )
    register_kind(
        ORDER_EXPIRING,
        label=_("Protection order expiring"),
        email_subject=_("Crisis Ops: a protection order expires soon (%(case_reference)s)"),
        email_body=_(
            "A protection order on case %(case_reference)s expires soon. Decide with her "
            "whether to ask for an extension or court requirements."
        ),
    )
    register_kind(
        POLICE_CHECK_DUE,
        label=_("Police check due"),
        email_subject=_("Crisis Ops: a police check is due (%(case_reference)s)"),
        email_body=_(
            "A police check of the protection order on case %(case_reference)s is due today. "
            "Ask the police unit whether the check was made and record it."
        ),
    )
    register_kind(
        POLICE_CHECK_OVERDUE,
        label=_("Police check overdue"),
        email_subject=_("Crisis Ops: a police check is overdue (%(case_reference)s)"),
        email_body=_(
            "No police check of the protection order on case %(case_reference)s has been "
            "recorded, and it was due yesterday. Contact the police unit today."
        ),
    )
    register_kind(
        ORDER_EXPIRED_NO_DECISION,
        label=_("Order expired with no decision"),
        email_subject=_("Crisis Ops: an order expired with no decision (%(case_reference)s)"),
        email_body=_(
            "The protection order on case %(case_reference)s has expired and no decision was "
            "recorded. Record whether it is extended, taken to court or left to lapse."
        ),
    )
