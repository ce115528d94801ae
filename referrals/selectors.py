"""Reads of the partner directory and of referrals, scoped to the user in the database.

Two sides see a referral: the sending center (as it sees the case) and, for a
center of the network, the receiving center (its caseworkers and supervisors).
What of the case either side may read goes through ``referral_shared_for_user``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case as CaseModel
from cases.models import CaseUserObjectPermission
from cases.selectors import case_organisations, case_scope_q
from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from referrals import sharing
from referrals.models import Partner, Referral

REFERRED = "view_referred_case"


def member_organisation_ids(*, user: User, roles: tuple[str, ...] | None = None) -> list[uuid.UUID]:
    if not user.is_authenticated or not user.is_active:
        return []
    memberships = Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return list(memberships.values_list("organisation_id", flat=True))


def case_organisation_ids(*, user: User) -> list[uuid.UUID]:
    if not user.is_authenticated or not user.is_active:
        return []
    return [m["organisation_id"] for m in case_organisations(user=user)]


# --- the partner directory ------------------------------------------------------------------


def partner_list_for_user(
    *, user: User, kind: str = "", region: str = "", service: str = "", q: str = ""
) -> QuerySet[Partner]:
    """The network's common list and the user's own organisations' partners.

    ``location_visible`` says whether this user may see the address: a
    confidential location only inside the organisations that own it.
    """
    organisations = member_organisation_ids(user=user)
    if not organisations:
        return Partner.objects.none()
    partners = Partner.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id__in=organisations)
    )
    if kind:
        partners = partners.filter(kind__code=kind)
    if region:
        partners = partners.filter(region__code=region)
    if service:
        partners = partners.filter(services__contains=[service])
    if q.strip():
        partners = partners.filter(Q(name__icontains=q.strip()) | Q(city__icontains=q.strip()))
    return (
        partners.select_related("kind", "region", "organisation", "linked_organisation")
        .annotate(
            location_visible=Case(
                When(location_confidential=False, then=Value(True)),
                When(organisation_id__in=organisations, then=Value(True)),
                When(linked_organisation_id__in=organisations, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("kind__position", "name")
    )


def partner_get_for_user(
    *, user: User, partner_id: uuid.UUID | str, for_change: bool = False
) -> Partner:
    """A partner the user may see; ``for_change``: one her organisation keeps and she
    administers (the network's own entry for a center: that center's admin)."""
    partners = partner_list_for_user(user=user)
    if for_change:
        administered = member_organisation_ids(user=user, roles=(Role.ORG_ADMIN,))
        partners = partners.filter(
            Q(organisation_id__in=administered)
            | Q(organisation__isnull=True, linked_organisation_id__in=administered)
        )
    try:
        return partners.get(pk=partner_id)
    except (Partner.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def partners_to_refer_to(*, user: User, case_organisation_id: uuid.UUID) -> QuerySet[Partner]:
    """Active partners a case of this center may be referred to: never the center itself."""
    return (
        partner_list_for_user(user=user)
        .filter(status="active")
        .exclude(linked_organisation_id=case_organisation_id)
    )


# --- referrals --------------------------------------------------------------------------------


def _granted_case_ids(user: User, codename: str) -> QuerySet[Any, Any]:
    return CaseUserObjectPermission.objects.filter(user=user, permission__codename=codename).values(
        "content_object_id"
    )


def _owner_side_q(user: User) -> Q:
    """The side whose case it is sees a referral of a restricted case only if named on it."""
    return Q(case__is_restricted=False) | Q(case_id__in=_granted_case_ids(user, "view_case"))


def _sender_q(user: User) -> Q:
    """Referrals and transfer requests sent by the user's centers. After a full transfer
    the sender keeps what it sent."""
    organisations = case_organisation_ids(user=user)
    return Q(from_organisation_id__in=organisations) & (
        Q(kind=Referral.Kind.TRANSFER_REQUEST) | _owner_side_q(user)
    )


def _receiver_q(user: User) -> Q:
    """Sent to the user's centers; a transfer request asks for a case of theirs, so of a
    restricted case only those named on it see it. The requests are few: they are picked
    in a subquery, and the incoming list of referrals never joins the case table."""
    organisations = case_organisation_ids(user=user)
    requests = Referral.objects.filter(
        Q(to_organisation_id__in=organisations, kind=Referral.Kind.TRANSFER_REQUEST)
        & _owner_side_q(user)
    ).values("pk")
    return Q(to_organisation_id__in=organisations) & (
        Q(kind=Referral.Kind.REFERRAL) | Q(pk__in=requests)
    )


def referral_list_for_user(
    *,
    user: User,
    box: str = "all",
    status: str = "",
    overdue: bool = False,
    reference: str = "",
    kind: str = "",
) -> QuerySet[Referral]:
    """``box``: incoming (to the user's centers), outgoing (from them), or all; both hold
    referrals and transfer requests, ``kind`` narrows to one."""
    if not user.is_authenticated or not user.is_active:
        return Referral.objects.none()
    scope = {"incoming": _receiver_q, "outgoing": _sender_q}.get(box)
    condition = scope(user) if scope else (_receiver_q(user) | _sender_q(user))
    referrals = Referral.objects.filter(condition)
    if status:
        referrals = referrals.filter(status=status)
    if kind:
        referrals = referrals.filter(kind=kind)
    if overdue:
        referrals = referrals.filter(status=Referral.Status.SENT, answer_due_at__lt=timezone.now())
    if reference.strip():
        referrals = referrals.filter(reference__iexact=reference.strip())
    return referrals.select_related(
        "partner__kind", "from_organisation", "to_organisation", "sent_by", "answered_by"
    ).order_by("-sent_at")


def referrals_for_case(*, user: User, case_id: uuid.UUID) -> QuerySet[Referral]:
    """A case's referrals and transfer requests, for its case page (fetched with access)."""
    return referral_list_for_user(user=user).filter(case_id=case_id)


def referral_get_for_user(*, user: User, referral_id: uuid.UUID | str) -> Referral:
    try:
        return (
            referral_list_for_user(user=user).select_related("case", "consent").get(pk=referral_id)
        )
    except (Referral.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def is_receiver(*, user: User, referral: Referral) -> bool:
    return referral.to_organisation_id in case_organisation_ids(user=user)


def is_sender(*, user: User, referral: Referral) -> bool:
    return referral.from_organisation_id in case_organisation_ids(user=user)


def is_giving_side(*, user: User, referral: Referral) -> bool:
    """Of the center whose case it was at sending (the sender of a referral, the
    answerer of a transfer request): the side that may know the case's reference."""
    return referral.giving_organisation_id in case_organisation_ids(user=user)


def may_answer(*, user: User, referral: Referral) -> bool:
    """A center of the network answers for itself; for an external partner, the
    sending center records the answer it was given. A transfer request is answered
    by the owning center's people who may change the case (once it is answered and
    the case gone, its center still hears "already answered", not "not yours")."""
    if referral.is_external:
        return is_sender(user=user, referral=referral)
    if referral.is_request:
        return is_receiver(user=user, referral=referral) and (
            referral.status != Referral.Status.SENT or _may_change_case(user, referral.case_id)
        )
    return is_receiver(user=user, referral=referral)


def may_complete(*, user: User, referral: Referral) -> bool:
    """The center helping her on it: the partner (or the sender for an external one);
    for a transfer request, the center that asked and took the case over."""
    if referral.is_request:
        return is_sender(user=user, referral=referral)
    return may_answer(user=user, referral=referral)


def may_ask_transfer(*, user: User, referral: Referral) -> bool:
    """For the page: offer the request form on an accepted referral this center received."""
    return (
        not referral.is_request
        and not referral.is_transfer
        and referral.status == Referral.Status.ACCEPTED
        and referral.consent_revoked_at is None
        and referral.to_organisation_id is not None
        and is_receiver(user=user, referral=referral)
    )


def _may_change_case(user: User, case_id: uuid.UUID) -> bool:
    return CaseModel.objects.filter(
        case_scope_q(user=user, codename="change_case"), pk=case_id
    ).exists()


def has_referred_grant(*, user: User, referral: Referral) -> bool:
    return CaseUserObjectPermission.objects.filter(
        user=user, content_object_id=referral.case_id, permission__codename=REFERRED
    ).exists()


def referred_permission_id() -> int:
    return int(
        Permission.objects.only("id").get(content_type__app_label="cases", codename=REFERRED).pk
    )


@dataclass(frozen=True)
class Shared:
    """What of the case this user may read on this referral, and if nothing, why."""

    parts: dict[str, Any] = field(default_factory=dict)
    hidden_because: str = ""

    @property
    def sections(self) -> list[sharing.Section]:
        return sharing.shared_rows(self.parts)


def _allowed_parts(referral: Referral) -> list[str]:
    if referral.consent is None:
        return list(referral.parts) if referral.consent_overridden else []
    return [part for part in referral.parts if part in referral.consent.parts]


def referral_shared_for_user(*, user: User, referral: Referral) -> Shared:
    """The single gate to a referral's snapshot. Call through services.referral_open,
    which audits each read."""
    if referral.is_request:
        return Shared(
            hidden_because=_(
                "A transfer request carries no part of the case: it asks for responsibility."
            )
        )
    if referral.consent_revoked_at is not None or referral.snapshot is None:
        return Shared(hidden_because=_("The consent was revoked: nothing is shared any more."))
    if is_sender(user=user, referral=referral) or (
        referral.is_external and may_answer(user=user, referral=referral)
    ):
        return Shared(parts=sharing.shared_parts(referral.snapshot, _allowed_parts(referral)))
    if not is_receiver(user=user, referral=referral):
        return Shared(hidden_because=_("You have no access to what this referral shares."))
    if referral.status == Referral.Status.SENT:
        return Shared(hidden_because=_("Accept the referral to see what it shares."))
    if referral.status != Referral.Status.ACCEPTED or not has_referred_grant(
        user=user, referral=referral
    ):
        return Shared(hidden_because=_("Access to this case ended with the referral."))
    return Shared(parts=sharing.shared_parts(referral.snapshot, _allowed_parts(referral)))


def incoming_count(*, user: User) -> int:
    return referral_list_for_user(user=user, box="incoming", status=Referral.Status.SENT).count()


def waiting_for_answer(*, user: User, limit: int = 10) -> list[Referral]:
    """The user's own sent referrals still without an answer, the most urgent first."""
    return list(
        referral_list_for_user(user=user, box="outgoing", status=Referral.Status.SENT)
        .filter(Q(sent_by=user) | Q(case__assigned_to=user))
        .order_by("answer_due_at")[:limit]
    )


def overdue_referrals() -> QuerySet[Referral]:
    """Referrals past their answer deadline with no answer: an overdue item of their case."""
    return Referral.objects.filter(status=Referral.Status.SENT, answer_due_at__lt=timezone.now())


def consent_relied_on(*, consent_id: uuid.UUID) -> bool:
    return Referral.objects.filter(consent_id=consent_id, status__in=Referral.LIVE).exists()
