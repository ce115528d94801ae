"""Reads about protection orders, always through the visibility of the order's case."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case
from cases.selectors import case_get_for_user, case_scope_q
from crisis_ops.accounts.models import User
from crisis_ops.core.dates import add_days
from crisis_ops.organisations.roles import Role
from protection_orders.models import PoliceCheck, ProtectionOrder

# A check marked "not done" covers no due date: the reminders read it the same way.
_COUNTED_CHECK = ~Q(checks__outcome=PoliceCheck.Outcome.NOT_DONE)


def order_get_for_user(
    *, user: User, order_id: uuid.UUID | str, for_change: bool = False
) -> ProtectionOrder:
    """The order if the user may see (or change) its case, else 404."""
    try:
        order = ProtectionOrder.objects.select_related("order_type").filter(pk=order_id).first()
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    if order is None:
        raise Http404
    order.case = case_get_for_user(user=user, case_id=order.case_id, for_change=for_change)
    return order


def _with_last_check(orders: QuerySet[ProtectionOrder]) -> QuerySet[ProtectionOrder]:
    return orders.annotate(last_checked_on=Max("checks__checked_on", filter=_COUNTED_CHECK))


def order_list_for_user(*, user: User) -> QuerySet[ProtectionOrder]:
    if not user.is_authenticated or not user.is_active:
        return ProtectionOrder.objects.none()
    return (
        ProtectionOrder.objects.filter(case__in=Case.objects.filter(case_scope_q(user=user)))
        .select_related("order_type", "case")
        .order_by("-issued_on", "-created_at")
    )


def next_check_due(
    *, order: ProtectionOrder, last_checked_on: datetime.date | None
) -> datetime.date | None:
    """The first due date after the one the latest counted check covers; None past expiry.

    A check covers the due date that ends the interval it falls in, so a check
    made early still counts for that week.
    """
    if order.status != ProtectionOrder.Status.ACTIVE:
        return None
    interval = order.order_type.check_interval_days
    periods = 0
    if last_checked_on is not None and last_checked_on > order.issued_on:
        periods = -(-(last_checked_on - order.issued_on).days // interval)
    # A check dated far in the future would move the due date off the calendar: none is due.
    due = add_days(order.issued_on, interval * (periods + 1))
    return due if due is not None and due <= order.expires_on else None


@dataclass(frozen=True)
class OrderSummary:
    order: ProtectionOrder
    next_check_due: datetime.date | None


def order_summaries_for_case(*, case: Case) -> list[OrderSummary]:
    """The case's orders with their next police check, in one query."""
    orders = _with_last_check(
        ProtectionOrder.objects.filter(case=case).select_related("order_type")
    ).order_by("-issued_on", "-created_at")
    return [
        OrderSummary(o, next_check_due(order=o, last_checked_on=o.last_checked_on))  # type: ignore[attr-defined]
        for o in orders
    ]


@dataclass(frozen=True)
class ScheduledCheck:
    due_on: datetime.date
    covered_by: PoliceCheck | None
    is_past: bool


def check_schedule(
    *, order: ProtectionOrder, checks: Iterable[PoliceCheck]
) -> list[ScheduledCheck]:
    """Each due date with the check that covers it (one in the interval ending that day)."""
    today = timezone.localdate()
    interval = datetime.timedelta(days=order.order_type.check_interval_days)
    counted = [c for c in checks if c.outcome != PoliceCheck.Outcome.NOT_DONE]
    rows = []
    for due in order.check_due_dates():
        covering = next((c for c in counted if due - interval < c.checked_on <= due), None)
        rows.append(ScheduledCheck(due, covering, due < today))
    return rows


@dataclass
class Deadlines:
    due_today: list[OrderSummary] = field(default_factory=list)
    overdue: list[OrderSummary] = field(default_factory=list)
    expiring: list[ProtectionOrder] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.due_today or self.overdue or self.expiring)


def deadlines_for(*, user: User, today: datetime.date | None = None) -> Deadlines:
    """Police checks due today or overdue and orders expiring within a week.

    A supervisor sees the whole center; a caseworker the cases assigned to her.
    The next due date is computed in Python from the latest check, so the
    number of queries does not depend on how many orders there are.
    """
    today = today or timezone.localdate()
    roles = user.active_roles()
    orders = (
        ProtectionOrder.objects.filter(
            status=ProtectionOrder.Status.ACTIVE,
            case__in=Case.objects.filter(case_scope_q(user=user)),
        )
        .select_related("order_type", "case")
        .order_by("expires_on", "issued_on")
    )
    if Role.SUPERVISOR not in roles:
        orders = orders.filter(case__assigned_to=user)
    deadlines = Deadlines()
    week_end = today + datetime.timedelta(days=6)
    for order in _with_last_check(orders):
        due = next_check_due(order=order, last_checked_on=order.last_checked_on)  # type: ignore[attr-defined]
        if due == today:
            deadlines.due_today.append(OrderSummary(order, due))
        elif due is not None and due < today:
            deadlines.overdue.append(OrderSummary(order, due))
        if today <= order.expires_on <= week_end:
            deadlines.expiring.append(order)
    return deadlines


def order_extension(*, order: ProtectionOrder) -> ProtectionOrder | None:
    """The order that extended this one, if any."""
    return ProtectionOrder.objects.filter(previous=order).first()
