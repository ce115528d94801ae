"""What every referral write shares: audit, staff lists, the lock, the sender's news."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import Consent
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.notifications.services import notify
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from referrals.models import Referral

CASE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


def audit(action: str, actor: User | None, referral: Referral, organisation_id: Any) -> None:
    audit_record(action=action, actor=actor, obj=referral, organisation_id=organisation_id)


def staff(organisation_id: Any, roles: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(
                organisation_id=organisation_id, role__in=list(roles), is_active=True
            ),
        ).distinct()
    )


def lock(referral: Referral) -> Referral:
    """The consent first, then the referral: the order consent_revoke also takes."""
    if referral.consent_id:
        Consent.objects.select_for_update().filter(pk=referral.consent_id).first()
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "consent", "partner__kind")
        .get(pk=referral.pk)
    )


def already(referral: Referral) -> ValidationError:
    if referral.status == Referral.Status.SENT:
        return ValidationError({"status": [_("This referral has not been answered yet.")]})
    message = _("This referral is already %(status)s; nothing was changed.")
    return ValidationError(
        {"status": [message % {"status": referral.get_status_display().lower()}]}
    )


def tell_sender(referral: Referral, kind: str) -> None:
    """The one who sent it, and her case's caseworker while the case is still her center's."""
    people: set[User | None] = {referral.sent_by}
    if referral.case.organisation_id == referral.from_organisation_id:
        people.add(referral.case.assigned_to)
    notify(recipients=[p for p in people if p is not None and p.is_active], kind=kind, obj=referral)
