"""Writes of the referral workflow. Each validates, writes, and audits in one transaction.

Lock order, everywhere: the consent row, then the referral row, then the case row,
so that a revocation racing an acceptance waits instead of deadlocking.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseUserObjectPermission, Consent
from cases.models.choices import ConsentPart, ConsentScope
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.notifications.services import notify
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from referrals import reminders, selectors, sharing
from referrals.choices import DeclineReason, Delivery, Outcome
from referrals.models import Partner, Referral

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CASE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


def _reference() -> str:
    return "R-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _audit(action: str, actor: User | None, referral: Referral, organisation_id: Any) -> None:
    audit_record(action=action, actor=actor, obj=referral, organisation_id=organisation_id)


def _staff(organisation_id: Any, roles: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(
                organisation_id=organisation_id, role__in=list(roles), is_active=True
            ),
        ).distinct()
    )


def _scope_label(scope: str) -> str:
    return str(dict(ConsentScope.choices).get(scope, scope))


def _part_labels(parts: Iterable[str]) -> str:
    labels = dict(ConsentPart.choices)
    return ", ".join(str(labels[part]) for part in parts)


def _valid_consent(case: Case, scope: str, parts: list[str]) -> Consent:
    """The consent that allows this referral today, locked; else a message naming the gap."""
    today = timezone.localdate()
    valid = list(
        Consent.objects.select_for_update()
        .filter(case=case, scope=scope, revoked_at__isnull=True, granted_on__lte=today)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .order_by("-granted_on", "-created_at")
    )
    if not valid:
        message = _("There is no valid consent for “%(scope)s” today. Record her consent first.")
        raise ValidationError({"consent": [message % {"scope": _scope_label(scope)}]})
    for consent in valid:
        if not consent.missing_parts(parts):
            return consent
    missing = valid[0].missing_parts(parts)
    message = _("Her consent for “%(scope)s” does not cover: %(parts)s.")
    raise ValidationError(
        {"parts": [message % {"scope": _scope_label(scope), "parts": _part_labels(missing)}]}
    )


def _clean_send(
    *, case: Case, partner: Partner, purpose: str, parts: list[str], practical_needs: str
) -> list[str]:
    errors: dict[str, list[str]] = {}
    chosen = [part for part in ConsentPart.values if part in set(parts)]
    if not chosen or set(parts) - set(ConsentPart.values):
        errors["parts"] = [_("Choose at least one part of the case to share.")]
    if practical_needs.strip() and ConsentPart.PRACTICAL_NEEDS not in chosen:
        errors["practical_needs"] = [_("Tick “Practical needs” to share what you wrote.")]
    if partner.status != "active":
        errors["partner"] = [_("This partner does not take referrals at the moment.")]
    elif purpose not in partner.kind.services:
        errors["purpose"] = [
            _("A %(kind)s does not offer this service; choose another partner or purpose.")
            % {"kind": partner.kind.name.lower()}
        ]
    if partner.linked_organisation_id == case.organisation_id:
        errors["partner"] = [_("A case cannot be referred to its own center.")]
    if case.status == Case.Status.CLOSED:
        errors["case"] = [_("Reopen the case before referring her.")]
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    partner: Partner,
    purpose: str,
    parts: list[str],
    practical_needs: str = "",
    is_transfer: bool = False,
    override_reason: str = "",
    delivery: str = Delivery.IN_APP,
) -> Referral:
    """Send a referral, consent checked here so every path refuses alike.

    The consent override exists for the police scope only (immediate danger to
    life): it needs a reason, notifies the supervisors at once and is audited.
    """
    chosen = _clean_send(
        case=case, partner=partner, purpose=purpose, parts=parts, practical_needs=practical_needs
    )
    scope = partner.kind.consent_scope
    if is_transfer and not partner.linked_organisation_id:
        raise ValidationError(
            {"is_transfer": [_("Responsibility can move only to a center of the network.")]}
        )
    if delivery not in Delivery.values or (
        delivery == Delivery.IN_APP and partner.linked_organisation_id is None
    ):
        raise ValidationError({"delivery": [_("Say how the referral goes out to this partner.")]})
    consent: Consent | None = None
    if override_reason.strip():
        if scope != ConsentScope.POLICE:
            raise ValidationError(
                {"override_reason": [_("Consent can be overridden only for the police.")]}
            )
    else:
        consent = _valid_consent(case, scope, chosen)
    case = Case.objects.select_for_update().get(pk=case.pk)
    now = timezone.now()
    referral = Referral(
        reference=_reference(),
        case=case,
        partner=partner,
        from_organisation_id=case.organisation_id,
        to_organisation_id=partner.linked_organisation_id,
        purpose=purpose,
        is_transfer=is_transfer,
        parts=chosen,
        consent=consent,
        consent_overridden=consent is None,
        override_reason=override_reason.strip(),
        delivery=delivery,
        sent_by=actor,
        sent_at=now,
        answer_due_at=now + datetime.timedelta(hours=partner.kind.answer_hours),
    )
    referral.snapshot = sharing.snapshot_build(
        case=case, parts=chosen, practical_needs=practical_needs
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"partner": [_("She already has a live referral to this partner for this.")]}
        ) from exc
    _audit("referral.sent", actor, referral, case.organisation_id)
    if referral.consent_overridden:
        _audit("referral.consent_overridden", actor, referral, case.organisation_id)
        notify(
            recipients=_staff(case.organisation_id, [Role.SUPERVISOR]),
            kind=reminders.CONSENT_OVERRIDDEN,
            obj=referral,
        )
    if referral.to_organisation_id:
        notify(
            recipients=_staff(referral.to_organisation_id, _CASE_ROLES),
            kind=reminders.REFERRAL_RECEIVED,
            obj=referral,
        )
    reminders.schedule_for(referral)
    return referral


def _lock(referral: Referral) -> Referral:
    """The consent first, then the referral: the order consent_revoke also takes."""
    if referral.consent_id:
        Consent.objects.select_for_update().filter(pk=referral.consent_id).first()
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "consent", "partner__kind")
        .get(pk=referral.pk)
    )


def _require_answerer(actor: User, referral: Referral) -> None:
    if not selectors.may_answer(user=actor, referral=referral):
        raise PermissionDenied(_("Only the center the referral was sent to can answer it."))


def _already(referral: Referral) -> ValidationError:
    if referral.status == Referral.Status.SENT:
        return ValidationError({"status": [_("This referral has not been answered yet.")]})
    message = _("This referral is already %(status)s; nothing was changed.")
    return ValidationError(
        {"status": [message % {"status": referral.get_status_display().lower()}]}
    )


def _grant(referral: Referral) -> int:
    """Open exactly this case to the receiving center's caseworkers and supervisors."""
    permission = selectors.referred_permission_id()
    rows = [
        CaseUserObjectPermission(user=user, permission_id=permission, content_object=referral.case)
        for user in _staff(referral.to_organisation_id, _CASE_ROLES)
    ]
    CaseUserObjectPermission.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _revoke_grant(actor: User | None, referral: Referral) -> None:
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
        _audit("case.access_revoked", actor, referral, referral.case.organisation_id)


def _check_consent_still_valid(referral: Referral) -> None:
    consent = referral.consent
    if referral.consent_overridden:
        return
    if consent is None or not consent.is_valid_on(timezone.localdate()):
        raise ValidationError(
            {
                "consent": [
                    _("Her consent for this referral is no longer valid; it cannot be accepted.")
                ]
            }
        )


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    referral = _lock(referral)
    _require_answerer(actor, referral)
    if referral.status != Referral.Status.SENT:
        raise _already(referral)
    _check_consent_still_valid(referral)
    now = timezone.now()
    referral.status = Referral.Status.ACCEPTED
    referral.answered_by, referral.answered_at = actor, now
    referral.save(update_fields=["status", "answered_by", "answered_at", "updated_at"])
    _audit(
        "referral.accepted",
        actor,
        referral,
        referral.to_organisation_id or referral.from_organisation_id,
    )
    if referral.to_organisation_id and referral.is_transfer:
        _take_over(actor, referral)
    elif referral.to_organisation_id:
        _grant(referral)
        _audit("case.access_granted", actor, referral, referral.case.organisation_id)
    reminders.cancel_answer(referral)
    _tell_sender(referral, reminders.REFERRAL_ANSWERED)
    return referral


def _take_over(actor: User, referral: Referral) -> None:
    """Full transfer: the receiving center owns the case; the sender keeps its referral."""
    case = Case.objects.select_for_update().get(pk=referral.case_id)
    if case.organisation_id != referral.from_organisation_id:
        raise ValidationError({"status": [_("This case has already moved to another center.")]})
    is_caseworker = Membership.objects.filter(
        user=actor,
        organisation_id=referral.to_organisation_id,
        role=Role.CASEWORKER,
        is_active=True,
    ).exists()
    assignee = actor if is_caseworker else None
    assert referral.to_organisation is not None
    case.organisation = referral.to_organisation
    case.assigned_to = assignee
    case.save(update_fields=["organisation", "assigned_to", "updated_at"])
    referral.case = case
    audit_record(
        action="case.transferred",
        actor=actor,
        obj=case,
        organisation_id=referral.to_organisation_id,
    )


def _tell_sender(referral: Referral, kind: str) -> None:
    people: set[User | None] = {referral.sent_by}
    if referral.case.organisation_id == referral.from_organisation_id:
        people.add(referral.case.assigned_to)
    notify(recipients=[p for p in people if p is not None and p.is_active], kind=kind, obj=referral)


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": [_("Choose a reason from the list.")]})
    referral = _lock(referral)
    _require_answerer(actor, referral)
    if referral.status != Referral.Status.SENT:
        raise _already(referral)
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason
    referral.answered_by, referral.answered_at = actor, timezone.now()
    referral.save(
        update_fields=["status", "decline_reason", "answered_by", "answered_at", "updated_at"]
    )
    _audit(
        "referral.declined",
        actor,
        referral,
        referral.to_organisation_id or referral.from_organisation_id,
    )
    reminders.cancel_all(referral)
    _tell_sender(referral, reminders.REFERRAL_ANSWERED)
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose an outcome from the list.")]})
    referral = _lock(referral)
    _require_answerer(actor, referral)
    if referral.status != Referral.Status.ACCEPTED:
        raise _already(referral)
    referral.status = Referral.Status.COMPLETED
    referral.outcome = outcome
    referral.completed_by, referral.completed_at = actor, timezone.now()
    referral.save(update_fields=["status", "outcome", "completed_by", "completed_at", "updated_at"])
    _audit(
        "referral.completed",
        actor,
        referral,
        referral.to_organisation_id or referral.from_organisation_id,
    )
    _revoke_grant(actor, referral)
    reminders.cancel_all(referral)
    _tell_sender(referral, reminders.REFERRAL_ANSWERED)
    return referral


@transaction.atomic
def referral_cancel(*, actor: User, referral: Referral) -> Referral:
    referral = _lock(referral)
    if not selectors.is_sender(user=actor, referral=referral):
        raise PermissionDenied(_("Only the center that sent the referral can cancel it."))
    if referral.status not in Referral.LIVE:
        raise _already(referral)
    if referral.is_transfer and referral.status == Referral.Status.ACCEPTED:
        raise ValidationError(
            {"status": [_("Responsibility has already moved; the other center owns the case.")]}
        )
    referral.status = Referral.Status.CANCELLED
    referral.cancelled_by, referral.cancelled_at = actor, timezone.now()
    referral.save(update_fields=["status", "cancelled_by", "cancelled_at", "updated_at"])
    _audit("referral.cancelled", actor, referral, referral.from_organisation_id)
    _revoke_grant(actor, referral)
    reminders.cancel_all(referral)
    return referral


def referral_open(*, actor: User, referral: Referral) -> selectors.Shared:
    """Read what the referral shares with this user; every read that shows something is audited."""
    shared = selectors.referral_shared_for_user(user=actor, referral=referral)
    if shared.parts:
        organisation = (
            referral.to_organisation_id
            if selectors.is_receiver(user=actor, referral=referral)
            else referral.from_organisation_id
        )
        _audit("referral.snapshot_opened", actor, referral, organisation)
    return shared


def on_consent_revoked(actor: User, consent: Consent) -> None:
    """Called by cases.services.consent_revoke inside its transaction (consent row locked).

    Every live referral that relied on it is marked, its snapshot erased (so no path
    can show it again), the receiving center's access closed, and the caseworker told.
    """
    relying = list(
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "sent_by", "case__assigned_to")
        .filter(consent=consent, status__in=Referral.LIVE, consent_revoked_at__isnull=True)
    )
    now = timezone.now()
    for referral in relying:
        referral.consent_revoked_at = now
        referral.snapshot = None
        referral.save(update_fields=["consent_revoked_at", "snapshot", "updated_at"])
        _audit("referral.consent_revoked", actor, referral, referral.from_organisation_id)
        _revoke_grant(actor, referral)
        reminders.cancel_all(referral)
        _tell_sender(referral, reminders.REFERRAL_CONSENT_REVOKED)


def referral_letter_open(*, actor: User, referral: Referral) -> selectors.Shared:
    """The letter for the partner: the sending center's, built from the one gate, audited."""
    if not selectors.is_sender(user=actor, referral=referral):
        raise PermissionDenied(_("Only the center that sent the referral prints its letter."))
    shared = referral_open(actor=actor, referral=referral)
    _audit("referral.letter_generated", actor, referral, referral.from_organisation_id)
    return shared
