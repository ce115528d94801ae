"""Which reminders an order needs, and whether each is still worth sending."""

from __future__ import annotations

import datetime

from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.core.dates import shifted
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.services import Plan, register_still_due
from protection_orders.models import ProtectionOrder
from protection_orders.notifications import (
    ORDER_EXPIRED_NO_DECISION,
    ORDER_EXPIRING,
    POLICE_CHECK_DUE,
    POLICE_CHECK_OVERDUE,
)

EXPIRY_WARNINGS_DAYS = (7, 3, 1, 0)


def supervisors_of(order: ProtectionOrder) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(
                organisation_id=order.case.organisation_id, role=Role.SUPERVISOR, is_active=True
            ),
        )
    )


def order_plans(order: ProtectionOrder) -> list[Plan]:
    supervisors = supervisors_of(order)
    caseworker = order.case.assigned_to
    first_line = [caseworker] if caseworker and caseworker.is_active else supervisors
    escalated = list({*first_line, *supervisors})
    plans = [
        Plan(ORDER_EXPIRING, order, user, day)
        for day in shifted(order.expires_on, tuple(-days for days in EXPIRY_WARNINGS_DAYS))
        for user in first_line
    ]
    for due in order.check_due_dates():
        plans += [Plan(POLICE_CHECK_DUE, order, user, due) for user in first_line]
        plans += [
            Plan(POLICE_CHECK_OVERDUE, order, user, overdue)
            for overdue in shifted(due, (1,))
            for user in escalated
        ]
    plans += [
        Plan(ORDER_EXPIRED_NO_DECISION, order, user, after)
        for after in shifted(order.expires_on, (1,))
        for user in escalated
    ]
    return plans


def _order(reminder: Reminder) -> ProtectionOrder | None:
    return (
        ProtectionOrder.objects.select_related("order_type").filter(pk=reminder.object_id).first()
    )


def _day(reminder: Reminder) -> datetime.date:
    return timezone.localtime(reminder.due_at).date()


def _checked_between(order: ProtectionOrder, start: datetime.date, end: datetime.date) -> bool:
    return (
        order.checks.filter(checked_on__gt=start, checked_on__lte=end)
        .exclude(outcome="not_done")
        .exists()
    )


def _expiring_still_due(reminder: Reminder) -> bool:
    order = _order(reminder)
    return order is not None and order.status == ProtectionOrder.Status.ACTIVE


def _check_due_still_due(reminder: Reminder) -> bool:
    order = _order(reminder)
    if order is None or order.status != ProtectionOrder.Status.ACTIVE:
        return False
    due = _day(reminder)
    interval = datetime.timedelta(days=order.order_type.check_interval_days)
    return not _checked_between(order, due - interval, due)


def _check_overdue_still_due(reminder: Reminder) -> bool:
    order = _order(reminder)
    if order is None or order.status in (
        ProtectionOrder.Status.REVOKED,
        ProtectionOrder.Status.SUPERSEDED,
    ):
        return False
    day = _day(reminder)
    due = day - datetime.timedelta(days=1)
    interval = datetime.timedelta(days=order.order_type.check_interval_days)
    return not _checked_between(order, due - interval, day)


def _no_decision_still_due(reminder: Reminder) -> bool:
    order = _order(reminder)
    return (
        order is not None
        and not order.expiry_decision
        and order.status in (ProtectionOrder.Status.ACTIVE, ProtectionOrder.Status.EXPIRED)
    )


def register() -> None:
    register_still_due(ORDER_EXPIRING, _expiring_still_due)
    register_still_due(POLICE_CHECK_DUE, _check_due_still_due)
    register_still_due(POLICE_CHECK_OVERDUE, _check_overdue_still_due)
    register_still_due(ORDER_EXPIRED_NO_DECISION, _no_decision_still_due)
