"""What a referral reminds of, through the shared outbox, and when it stops mattering.

- answer overdue: the day after the partner's deadline, to her caseworker; a day
  later, still unanswered, to the center's supervisors as well;
- consent expiring: 7 and 1 days before a consent that a live referral relies on.
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from cases.models import Consent
from crisis_ops.accounts.models import User
from crisis_ops.core.dates import shifted
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.services import (
    Plan,
    register_still_due,
    reminders_cancel,
    reminders_schedule,
)
from referrals.models import Referral

ANSWER_OVERDUE = "referral_answer_overdue"
ANSWER_ESCALATED = "referral_answer_escalated"
CONSENT_EXPIRING = "consent_expiring"
# In-app and e-mail notifications without a reminder behind them.
REFERRAL_RECEIVED = "referral_received"
REFERRAL_ANSWERED = "referral_answered"
REFERRAL_CONSENT_REVOKED = "referral_consent_revoked"
CONSENT_OVERRIDDEN = "consent_overridden"
TRANSFER_REQUESTED = "transfer_requested"

CONSENT_WARNING_DAYS = (7, 1)


def _supervisors(organisation_id: uuid.UUID) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(
                organisation_id=organisation_id, role=Role.SUPERVISOR, is_active=True
            ),
        )
    )


def _first_line(referral: Referral) -> list[User]:
    """Her caseworker at the center whose case it is: for a referral she chases the
    partner, for a transfer request she owes the answer. Without one, the sender of a
    referral, or the owning center's supervisors for a request."""
    caseworker = referral.case.assigned_to
    if caseworker is not None and caseworker.is_active:
        return [caseworker]
    if referral.is_request:
        return _supervisors(referral.giving_organisation_id)
    return [referral.sent_by] if referral.sent_by.is_active else []


def referral_plans(referral: Referral) -> list[Plan]:
    overdue_day = timezone.localtime(referral.answer_due_at).date() + datetime.timedelta(days=1)
    first_line = _first_line(referral)
    escalated = {*first_line, *_supervisors(referral.giving_organisation_id)}
    plans = [Plan(ANSWER_OVERDUE, referral, user, overdue_day) for user in first_line]
    plans += [
        Plan(ANSWER_ESCALATED, referral, user, overdue_day + datetime.timedelta(days=1))
        for user in sorted(escalated, key=lambda user: str(user.pk))
    ]
    consent = referral.consent
    if consent is not None and consent.expires_on is not None:
        plans += [
            Plan(CONSENT_EXPIRING, consent, user, day)
            for day in shifted(consent.expires_on, tuple(-d for d in CONSENT_WARNING_DAYS))
            for user in first_line
        ]
    return plans


def schedule_for(referral: Referral) -> int:
    return reminders_schedule(plans=referral_plans(referral))


def cancel_answer(referral: Referral) -> int:
    return reminders_cancel(obj=referral, kinds=[ANSWER_OVERDUE, ANSWER_ESCALATED])


def cancel_all(referral: Referral) -> int:
    """The referral's own; a consent's stop by themselves once no live referral is left."""
    return reminders_cancel(obj=referral)


def _answer_still_due(reminder: Reminder) -> bool:
    return Referral.objects.filter(
        pk=reminder.object_id,
        status=Referral.Status.SENT,
        consent_revoked_at__isnull=True,
        answer_due_at__lte=reminder.due_at,
    ).exists()


def _consent_still_due(reminder: Reminder) -> bool:
    consent = Consent.objects.filter(pk=reminder.object_id, revoked_at__isnull=True).first()
    if consent is None or consent.expires_on is None:
        return False
    day = timezone.localtime(reminder.due_at).date()
    if (consent.expires_on - day).days not in CONSENT_WARNING_DAYS:
        return False
    return Referral.objects.filter(
        consent=consent, status__in=Referral.LIVE, consent_revoked_at__isnull=True
    ).exists()


def register() -> None:
    register_still_due(ANSWER_OVERDUE, _answer_still_due)
    register_still_due(ANSWER_ESCALATED, _answer_still_due)
    register_still_due(CONSENT_EXPIRING, _consent_still_due)
