"""Writes about protection orders. Reminders are written in the same transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.core.dates import add_days_or_invalid
from crisis_ops.reminders.services import reminders_cancel, reminders_schedule
from protection_orders.models import OrderType, PoliceCheck, ProtectionOrder, Violation
from protection_orders.reminders import order_plans


def default_expiry(order_type: OrderType, issued_on: datetime.date) -> datetime.date:
    """The last day of the longest order the type allows (30 days: issue day plus 29)."""
    return add_days_or_invalid(issued_on, order_type.max_duration_days - 1, field="issued_on")


def _clean_issue(issued_on: datetime.date) -> None:
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": [_("An order cannot be issued in the future.")]})


def _clean_dates(
    order_type: OrderType, issued_on: datetime.date, expires_on: datetime.date
) -> None:
    errors: dict[str, list[str]] = {}
    if expires_on < issued_on:
        errors["expires_on"] = [_("An order cannot expire before it was issued.")]
    elif expires_on > default_expiry(order_type, issued_on):
        errors["expires_on"] = [
            _("This type of order lasts at most %(days)s days: it must expire by %(date)s.")
            % {
                "days": order_type.max_duration_days,
                "date": default_expiry(order_type, issued_on).strftime("%d.%m.%Y"),
            }
        ]
    elif (expires_on - issued_on).days + 1 < order_type.min_duration_days:
        errors["expires_on"] = [
            _("This type of order lasts at least %(days)s days.")
            % {"days": order_type.min_duration_days}
        ]
    if errors:
        raise ValidationError(errors)


def _audit(action: str, actor: User, obj: object, case: Case) -> None:
    audit_record(action=action, actor=actor, obj=obj, organisation_id=case.organisation_id)  # type: ignore[arg-type]


@transaction.atomic
def order_create(
    *,
    actor: User,
    case: Case,
    order_type: OrderType,
    number: str,
    issuing_unit: str,
    issued_on: datetime.date,
    expires_on: datetime.date | None = None,
    conditions: str = "",
    previous: ProtectionOrder | None = None,
) -> ProtectionOrder:
    _clean_issue(issued_on)  # before any arithmetic on it
    expires_on = expires_on or default_expiry(order_type, issued_on)
    _clean_dates(order_type, issued_on, expires_on)
    if not number.strip() or not issuing_unit.strip():
        raise ValidationError(
            {"number": [_("Enter the order's number and the police unit that issued it.")]}
        )
    order = ProtectionOrder.objects.create(
        case=case,
        order_type=order_type,
        number=number.strip(),
        issuing_unit=issuing_unit.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        conditions=conditions,
        previous=previous,
    )
    reminders_schedule(plans=order_plans(order))
    _audit("protection_order.created", actor, order, case)
    return order


@transaction.atomic
def order_extend(
    *,
    actor: User,
    order: ProtectionOrder,
    number: str,
    issued_on: datetime.date,
    expires_on: datetime.date | None = None,
    issuing_unit: str = "",
    conditions: str = "",
) -> ProtectionOrder:
    """An extension is a new order linked to the previous one, which it supersedes."""
    order = ProtectionOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in (ProtectionOrder.Status.ACTIVE, ProtectionOrder.Status.EXPIRED):
        raise ValidationError(_("Only an active or expired order can be extended."))
    order.status = ProtectionOrder.Status.SUPERSEDED
    order.expiry_decision = order.expiry_decision or ProtectionOrder.Decision.EXTEND
    order.decided_at = order.decided_at or timezone.now()
    order.save(update_fields=["status", "expiry_decision", "decided_at", "updated_at"])
    reminders_cancel(obj=order)
    return order_create(
        actor=actor,
        case=order.case,
        order_type=order.order_type,
        number=number,
        issuing_unit=issuing_unit or order.issuing_unit,
        issued_on=issued_on,
        expires_on=expires_on,
        conditions=conditions or order.conditions,
        previous=order,
    )


@transaction.atomic
def order_revoke(*, actor: User, order: ProtectionOrder, reason: str) -> ProtectionOrder:
    order = ProtectionOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != ProtectionOrder.Status.ACTIVE:
        raise ValidationError(_("Only an active order can be revoked."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the order is revoked.")})
    order.status = ProtectionOrder.Status.REVOKED
    order.revoked_reason = reason.strip()
    order.save(update_fields=["status", "revoked_reason", "updated_at"])
    reminders_cancel(obj=order)
    _audit("protection_order.revoked", actor, order, order.case)
    return order


@transaction.atomic
def order_record_decision(*, actor: User, order: ProtectionOrder, decision: str) -> ProtectionOrder:
    if decision not in ProtectionOrder.Decision.values:
        raise ValidationError({"expiry_decision": [_("Choose one of the offered decisions.")]})
    order = ProtectionOrder.objects.select_for_update().get(pk=order.pk)
    order.expiry_decision = decision
    order.decided_at = timezone.now()
    order.save(update_fields=["expiry_decision", "decided_at", "updated_at"])
    reminders_cancel(obj=order, kinds=["order_expired_no_decision"])
    _audit("protection_order.decided", actor, order, order.case)
    return order


@transaction.atomic
def police_check_record(
    *,
    actor: User,
    order: ProtectionOrder,
    checked_on: datetime.date,
    unit_officer: str,
    outcome: str,
    notes: str = "",
) -> PoliceCheck:
    errors: dict[str, list[str]] = {}
    if checked_on < order.issued_on:
        errors["checked_on"] = [_("A check cannot be before the order was issued.")]
    elif checked_on > timezone.localdate():
        errors["checked_on"] = [_("A check cannot be in the future.")]
    if outcome not in PoliceCheck.Outcome.values:
        errors["outcome"] = [_("Choose one of the offered outcomes.")]
    if errors:
        raise ValidationError(errors)
    check = PoliceCheck.objects.create(
        order=order,
        checked_on=checked_on,
        unit_officer=unit_officer.strip(),
        outcome=outcome,
        notes=notes,
        recorded_by=actor,
    )
    _audit("police_check.created", actor, check, order.case)
    return check


@transaction.atomic
def violation_record(
    *,
    actor: User,
    order: ProtectionOrder,
    occurred_on: datetime.date,
    description: str,
    reported_to_police: bool = False,
) -> Violation:
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": [_("A violation cannot be in the future.")]})
    if occurred_on < order.issued_on:
        raise ValidationError(
            {"occurred_on": [_("A violation cannot be before the order was issued.")]}
        )
    violation = Violation.objects.create(
        order=order,
        occurred_on=occurred_on,
        description=description,
        reported_to_police=reported_to_police,
        recorded_by=actor,
    )
    _audit("violation.created", actor, violation, order.case)
    return violation


def orders_expire(*, today: datetime.date | None = None) -> int:
    """Mark orders past their last day as expired (run daily by beat)."""
    today = today or timezone.localdate()
    return ProtectionOrder.objects.filter(
        status=ProtectionOrder.Status.ACTIVE, expires_on__lt=today
    ).update(status=ProtectionOrder.Status.EXPIRED)
