"""Partners and referrals through the services, as production makes them."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases import services as case_services
from cases.models import Case, Consent
from cases.models.choices import ConsentPart
from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Organisation
from referrals import services
from referrals.models import Partner, PartnerKind, Referral
from tests.factories import region

ALL_PARTS = list(ConsentPart.values)


def kind(code: str) -> PartnerKind:
    return PartnerKind.objects.get(code=code)


def partner(kind_code: str = "legal", **fields: Any) -> Partner:
    defaults: dict[str, Any] = {
        "name": f"Partner {Partner.objects.count() + 1}",
        "region": region("almaty-city"),
        "city": "Алматы",
        "address_1": "ул. Толе би 55",
        "phone": "+7 727 000 00 00",
        "languages": ["ru", "kk"],
        "letter_language": "ru",
        "services": list(kind(kind_code).services),
    }
    defaults.update(fields)
    return Partner.objects.create(kind=kind(kind_code), **defaults)


def center_partner(organisation: Organisation, **fields: Any) -> Partner:
    """The network's entry for a member center, linked to its Organisation."""
    return partner(
        "center",
        name=organisation.name,
        linked_organisation=organisation,
        region=organisation.region,
        **fields,
    )


def consent(actor: User, case: Case, scope: str, parts: list[str], **fields: Any) -> Consent:
    return case_services.consent_grant(
        actor=actor,
        case=case,
        scope=scope,
        granted_on=fields.pop("granted_on", timezone.localdate()),
        expires_on=fields.pop("expires_on", None),
        parts=parts,
    )


def refer(
    actor: User, case: Case, to: Partner, parts: list[str], *, purpose: str = "", **fields: Any
) -> Referral:
    scope = to.kind.consent_scope
    if not fields.pop("skip_consent", False):
        consent(actor, case, scope, ALL_PARTS if scope != "services" else [])
    return services.referral_send(
        actor=actor,
        case=case,
        partner=to,
        purpose=purpose or to.kind.services[0],
        parts=parts,
        delivery=fields.pop("delivery", "in_app" if to.linked_organisation_id else "handed"),
        **fields,
    )


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def helping(personas: Any, case: Case, parts: list[str] | None = None) -> Referral:
    """Center B helps her on an accepted referral from center A (both in the directory)."""
    center_partner(personas.center)
    to_b = center_partner(personas.other_center)
    referral = refer(personas.caseworker, case, to_b, parts or ["identity", "risk_band"])
    return services.referral_accept(actor=personas.caseworker_other_center, referral=referral)


def ask(personas: Any, base: Referral, **fields: Any) -> Referral:
    return services.transfer_request_send(
        actor=fields.pop("actor", personas.caseworker_other_center),
        referral=base,
        reason=fields.pop("reason", "moved"),
        note=fields.pop("note", "Она переехала в Астану"),
    )
