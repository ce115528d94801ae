"""Who may read what of a referred case: the grants, their removal, and audited reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseUserObjectPermission, Consent
from crisis_ops.accounts.models import User
from referrals import reminders, selectors
from referrals.models import Referral
from referrals.services._common import CASE_ROLES, audit, staff, tell_sender


def grant(referral: Referral) -> int:
    """Open exactly this case to the receiving center's caseworkers and supervisors."""
    permission = selectors.referred_permission_id()
    rows = [
        CaseUserObjectPermission(user=user, permission_id=permission, content_object=referral.case)
        for user in staff(referral.to_organisation_id, CASE_ROLES)
    ]
    CaseUserObjectPermission.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def revoke_grant(actor: User | None, referral: Referral) -> None:
    """Close the case to the receiving center, unless another accepted referral still opens it."""
    if referral.to_organisation_id is None or referral.is_transfer:
        return
    still_open = Referral.objects.filter(
        case_id=referral.case_id,
        to_organisation_id=referral.to_organisation_id,
        status=Referral.Status.ACCEPTED,
        consent_revoked_at__isnull=True,
    ).exclude(pk=referral.pk)
    if still_open.exists():
        return
    deleted, _rows = CaseUserObjectPermission.objects.filter(
        content_object_id=referral.case_id,
        permission_id=selectors.referred_permission_id(),
        user__memberships__organisation_id=referral.to_organisation_id,
    ).delete()
    if deleted:
        audit("case.access_revoked", actor, referral, referral.case.organisation_id)


def referral_open(*, actor: User, referral: Referral) -> selectors.Shared:
    """Read what the referral shares with this user; every read that shows something is audited."""
    shared = selectors.referral_shared_for_user(user=actor, referral=referral)
    if shared.parts:
        organisation = (
            referral.to_organisation_id
            if selectors.is_receiver(user=actor, referral=referral)
            else referral.from_organisation_id
        )
        audit("referral.snapshot_opened", actor, referral, organisation)
    return shared


def on_consent_revoked(actor: User, consent: Consent) -> None:
    """Called by cases.services.consent_revoke inside its transaction (consent row locked).

    Every live referral or transfer request that relied on it is marked, its snapshot
    erased (so no path can show it again), the receiving center's access closed, and
    the one who sent it told.
    """
    relying = list(
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "sent_by", "case__assigned_to")
        .filter(consent=consent, status__in=Referral.LIVE, consent_revoked_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    for referral in relying:
        referral.consent_revoked_at = now
        referral.snapshot = None
        referral.save(update_fields=["consent_revoked_at", "snapshot", "updated_at"])
        audit("referral.consent_revoked", actor, referral, referral.from_organisation_id)
        revoke_grant(actor, referral)
        reminders.cancel_all(referral)
        tell_sender(referral, reminders.REFERRAL_CONSENT_REVOKED)


def referral_letter_open(*, actor: User, referral: Referral) -> selectors.Shared:
    """The letter for the partner: the sending center's, built from the one gate, audited."""
    if referral.is_request:
        raise PermissionDenied(_("A transfer request has no letter: it goes through Crisis Ops."))
    if not selectors.is_sender(user=actor, referral=referral):
        raise PermissionDenied(_("Only the center that sent the referral prints its letter."))
    shared = referral_open(actor=actor, referral=referral)
    audit("referral.letter_generated", actor, referral, referral.from_organisation_id)
    return shared
