"""Sending a referral: consent checked here, so every path refuses alike."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Consent
from cases.models.choices import ConsentPart, ConsentScope
from crisis_ops.accounts.models import User
from crisis_ops.notifications.services import notify
from crisis_ops.organisations.roles import Role
from referrals import reminders, sharing
from referrals.choices import Delivery
from referrals.models import Partner, Referral
from referrals.services._common import CASE_ROLES, audit, staff

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "R-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


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
        reference=new_reference(),
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
    audit("referral.sent", actor, referral, case.organisation_id)
    if referral.consent_overridden:
        audit("referral.consent_overridden", actor, referral, case.organisation_id)
        notify(
            recipients=staff(case.organisation_id, [Role.SUPERVISOR]),
            kind=reminders.CONSENT_OVERRIDDEN,
            obj=referral,
        )
    if referral.to_organisation_id:
        notify(
            recipients=staff(referral.to_organisation_id, CASE_ROLES),
            kind=reminders.REFERRAL_RECEIVED,
            obj=referral,
        )
    reminders.schedule_for(referral)
    return referral
