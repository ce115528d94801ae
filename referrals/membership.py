"""A referred case stays open to the receiving center's staff as the staff changes.

Accepting a referral grants ``view_referred_case`` to the caseworkers and supervisors the
center has then; whoever joins later, changes role or leaves is brought in line here, on
every membership change (organisations.services calls back inside its transaction).
"""

from __future__ import annotations

import uuid

from cases.models import Case, CaseUserObjectPermission
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.organisations.models import Membership
from referrals import selectors
from referrals.models import Referral
from referrals.services._common import CASE_ROLES


def _cases_open_to(user: User) -> set[uuid.UUID]:
    """Cases some accepted, consented referral opens to one of the user's centers now."""
    if not user.is_active:
        return set()
    centers = Membership.objects.filter(
        user=user, is_active=True, role__in=CASE_ROLES, organisation__is_active=True
    ).values("organisation_id")
    return set(
        Referral.objects.filter(
            to_organisation_id__in=centers,
            kind=Referral.Kind.REFERRAL,
            is_transfer=False,
            status=Referral.Status.ACCEPTED,
            consent_revoked_at__isnull=True,
        ).values_list("case_id", flat=True)
    )


def referred_grants_sync(actor: User | None, membership: Membership) -> None:
    """Grant what the user's centers hold now, take back what they no longer do; audited."""
    user = User.objects.get(pk=membership.user_id)
    permission = selectors.referred_permission_id()
    held = CaseUserObjectPermission.objects.filter(user=user, permission_id=permission)
    have = set(held.values_list("content_object_id", flat=True))
    wanted = _cases_open_to(user)
    added, removed = wanted - have, have - wanted
    CaseUserObjectPermission.objects.bulk_create(
        [
            CaseUserObjectPermission(user=user, permission_id=permission, content_object_id=pk)
            for pk in added
        ],
        ignore_conflicts=True,
    )
    held.filter(content_object_id__in=removed).delete()
    owners = dict(Case.objects.filter(pk__in=added | removed).values_list("pk", "organisation_id"))
    for action, case_ids in (("case.access_granted", added), ("case.access_revoked", removed)):
        for case_id in sorted(case_ids, key=str):
            audit_record(
                action=action,
                actor=actor,
                object_type="cases.case",
                object_id=str(case_id),
                organisation_id=owners.get(case_id),
            )
