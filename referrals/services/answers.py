"""Answers to a referral or a transfer request: accept, decline, complete, cancel.

Lock order, everywhere: the consent row, then the referral row, then the case row,
so that a revocation racing an acceptance waits instead of deadlocking. A status is
changed only under the referral's row lock, so of two answers at once exactly one wins.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from referrals import reminders, selectors
from referrals.choices import DeclineReason, Outcome
from referrals.models import Referral
from referrals.services._common import already, audit, lock, tell_sender
from referrals.services.access import grant, revoke_grant


def _require_answerer(actor: User, referral: Referral) -> None:
    if not selectors.may_answer(user=actor, referral=referral):
        if referral.is_request:
            raise PermissionDenied(_("Only the center whose case it is can answer this request."))
        raise PermissionDenied(_("Only the center the referral was sent to can answer it."))


def check_consent_still_valid(referral: Referral, message: str = "") -> None:
    consent = referral.consent
    if referral.consent_overridden:
        return
    if consent is None or not consent.is_valid_on(timezone.localdate()):
        default = _("Her consent for this referral is no longer valid; it cannot be accepted.")
        raise ValidationError({"consent": [message or default]})


def _answering_organisation(referral: Referral) -> object:
    return referral.to_organisation_id or referral.from_organisation_id


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    referral = lock(referral)
    _require_answerer(actor, referral)
    if referral.status != Referral.Status.SENT:
        raise already(referral)
    check_consent_still_valid(referral)
    referral.status = Referral.Status.ACCEPTED
    referral.answered_by, referral.answered_at = actor, timezone.now()
    referral.save(update_fields=["status", "answered_by", "answered_at", "updated_at"])
    audit("referral.accepted", actor, referral, _answering_organisation(referral))
    if referral.to_organisation_id and referral.is_transfer:
        _take_over(actor, referral)
    elif referral.to_organisation_id:
        grant(referral)
        audit("case.access_granted", actor, referral, referral.case.organisation_id)
    reminders.cancel_answer(referral)
    tell_sender(referral, reminders.REFERRAL_ANSWERED)
    return referral


def _new_caseworker(actor: User, referral: Referral) -> User | None:
    """Who takes the case on: whoever accepted a transfer, or asked for it, if a caseworker."""
    candidate = referral.sent_by if referral.is_request else actor
    is_caseworker = Membership.objects.filter(
        user=candidate,
        organisation_id=referral.taking_organisation_id,
        role=Role.CASEWORKER,
        is_active=True,
    ).exists()
    return candidate if is_caseworker else None


def _take_over(actor: User, referral: Referral) -> None:
    """Full transfer: the taking center owns the case; the giving one keeps its referral
    and reads what it wrote while the case was its own (selectors.handed_over_for_user)."""
    case = Case.objects.select_for_update().get(pk=referral.case_id)
    if case.organisation_id != referral.giving_organisation_id:
        raise ValidationError({"status": [_("This case has already moved to another center.")]})
    if case.status == Case.Status.CLOSED:
        raise ValidationError(
            {"case": [_("The case is closed: reopen it before handing it over.")]}
        )
    case.organisation_id = referral.taking_organisation_id
    case.assigned_to = _new_caseworker(actor, referral)
    case.save(update_fields=["organisation", "assigned_to", "updated_at"])
    referral.case = case
    audit_record(
        action="case.transferred",
        actor=actor,
        obj=case,
        organisation_id=referral.taking_organisation_id,
    )
    if referral.is_request and referral.based_on_id:
        _close_base_referral(actor, referral.based_on_id)


def _close_base_referral(actor: User, base_id: uuid.UUID) -> None:
    """The referral the asking center helped her on has done its work: responsibility moved."""
    base = Referral.objects.select_for_update(of=("self",)).select_related("case").get(pk=base_id)
    if base.status != Referral.Status.ACCEPTED:
        return
    base.status, base.outcome = Referral.Status.COMPLETED, Outcome.TRANSFERRED
    base.completed_by, base.completed_at = actor, timezone.now()
    base.save(update_fields=["status", "outcome", "completed_by", "completed_at", "updated_at"])
    audit("referral.completed", actor, base, base.from_organisation_id)
    revoke_grant(actor, base)
    reminders.cancel_all(base)


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": [_("Choose a reason from the list.")]})
    referral = lock(referral)
    _require_answerer(actor, referral)
    if referral.status != Referral.Status.SENT:
        raise already(referral)
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason
    referral.answered_by, referral.answered_at = actor, timezone.now()
    referral.save(
        update_fields=["status", "decline_reason", "answered_by", "answered_at", "updated_at"]
    )
    audit("referral.declined", actor, referral, _answering_organisation(referral))
    reminders.cancel_all(referral)
    tell_sender(referral, reminders.REFERRAL_ANSWERED)
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose an outcome from the list.")]})
    referral = lock(referral)
    if not selectors.may_complete(user=actor, referral=referral):
        raise PermissionDenied(_("Only the center that is helping her on it can complete it."))
    if referral.status != Referral.Status.ACCEPTED:
        raise already(referral)
    referral.status = Referral.Status.COMPLETED
    referral.outcome = outcome
    referral.completed_by, referral.completed_at = actor, timezone.now()
    referral.save(update_fields=["status", "outcome", "completed_by", "completed_at", "updated_at"])
    audit("referral.completed", actor, referral, _answering_organisation(referral))
    revoke_grant(actor, referral)
    reminders.cancel_all(referral)
    tell_sender(referral, reminders.REFERRAL_ANSWERED)
    return referral


@transaction.atomic
def referral_cancel(*, actor: User, referral: Referral) -> Referral:
    referral = lock(referral)
    if not selectors.is_sender(user=actor, referral=referral):
        raise PermissionDenied(_("Only the center that sent the referral can cancel it."))
    if referral.status not in Referral.LIVE:
        raise already(referral)
    if referral.is_transfer and referral.status == Referral.Status.ACCEPTED:
        raise ValidationError(
            {"status": [_("Responsibility has already moved; the other center owns the case.")]}
        )
    referral.status = Referral.Status.CANCELLED
    referral.cancelled_by, referral.cancelled_at = actor, timezone.now()
    referral.save(update_fields=["status", "cancelled_by", "cancelled_at", "updated_at"])
    audit("referral.cancelled", actor, referral, referral.from_organisation_id)
    revoke_grant(actor, referral)
    reminders.cancel_all(referral)
    return referral
