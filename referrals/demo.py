"""Demo partners and referrals for ``manage.py seed_demo``: made-up names, real kinds, and a
referral in every state, including one full transfer between two demo centers."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from cases.models.choices import ConsentPart
from crisis_ops.accounts.models import User
from crisis_ops.core.demo import register_seeder
from crisis_ops.organisations.models import Membership, Organisation, Region
from crisis_ops.organisations.roles import Role
from referrals import (
    demo_history,  # noqa: F401 - registers the history seeder after this one
    services,
)
from referrals.models import Partner, PartnerKind, Referral

# kind, name pattern, letter language, languages
DIRECTORY = [
    ("police", "УП района «{city}», участковый пункт №3", "ru", ["ru", "kk"]),
    ("medical", "Центр судебно-медицинской экспертизы, {city}", "ru", ["ru"]),
    ("legal", "«Әділет» заң клиникасы, {city}", "kk", ["kk", "ru"]),
    ("psychological", "Psychological Support Point, {city}", "en", ["en", "ru"]),
    ("social", "Отдел социальной защиты, {city}", "ru", ["ru", "kk"]),
]


def _directory(region: Region) -> None:
    city = region.name_ru
    for code, pattern, letter, languages in DIRECTORY:
        kind = PartnerKind.objects.get(code=code)
        Partner.objects.get_or_create(
            organisation=None,
            name=pattern.format(city=city),
            region=region,
            defaults={
                "kind": kind,
                "city": city,
                "address_1": "ул. Примерная, 1",
                "phone": "+7 700 000 00 00",
                "hours": "Пн–Пт 9:00–18:00",
                "letter_language": letter,
                "languages": languages,
                "services": kind.services,
            },
        )


def _network(organisation: Organisation) -> Partner:
    kind = PartnerKind.objects.get(code="center")
    return Partner.objects.get_or_create(
        linked_organisation=organisation,
        defaults={
            "name": organisation.name,
            "kind": kind,
            "region": organisation.region,
            "city": organisation.region.name_ru,
            "location_confidential": True,
            "address_1": "Адрес сообщается по телефону",
            "letter_language": "ru",
            "languages": ["kk", "ru"],
            "services": kind.services,
        },
    )[0]


def _caseworker(organisation: Organisation) -> User | None:
    membership = Membership.objects.filter(
        organisation=organisation, role=Role.CASEWORKER, is_active=True
    ).first()
    return membership.user if membership else None


def _refer(actor: User, case: Case, partner: Partner, purpose: str, parts: list[str]) -> Referral:
    case_services.consent_grant(
        actor=actor,
        case=case,
        scope=partner.kind.consent_scope,
        granted_on=timezone.localdate(),
        expires_on=None,
        parts=list(ConsentPart.values),
    )
    delivery = "in_app" if partner.linked_organisation_id else "handed"
    return services.referral_send(
        actor=actor, case=case, partner=partner, purpose=purpose, parts=parts, delivery=delivery
    )


@register_seeder(order=40)
@transaction.atomic
def seed_referrals(write: Callable[[str], None]) -> None:
    organisations = list(Organisation.objects.filter(is_active=True).order_by("created_at")[:3])
    for region in {o.region for o in organisations}:
        _directory(region)
    centers = [_network(o) for o in organisations]
    write(f"  partner directory for {len({o.region_id for o in organisations})} demo regions")
    if len(organisations) < 2 or Referral.objects.exists():
        return
    sender, receiver = _caseworker(organisations[0]), _caseworker(organisations[1])
    open_cases = Case.objects.filter(organisation=organisations[0]).exclude(
        status=Case.Status.CLOSED
    )
    # The full transfer takes a survivor who is in none of this center's shelter beds: a stay
    # stays with the center that runs the shelter.
    in_a_bed = Case.objects.filter(occupancies__isnull=False, occupancies__ended_at__isnull=True)
    movable = open_cases.exclude(pk__in=in_a_bed.values("pk")).order_by("created_at", "pk")
    transferred = movable.first()
    cases = list(
        open_cases.exclude(pk__in=[transferred.pk] if transferred else []).order_by(
            "created_at", "pk"
        )[:4]
    )
    if sender is None or receiver is None or transferred is None or len(cases) < 4:
        return
    cases.append(transferred)
    partner = Partner.objects.filter(organisation=None, kind__code="legal").first()
    assert partner is not None
    _refer(sender, cases[0], partner, "legal_aid", ["identity", "contact", "protection_orders"])
    accepted = _refer(
        sender, cases[1], centers[1], "psychological_support", ["identity", "risk_band"]
    )
    services.referral_accept(actor=receiver, referral=accepted)
    declined = _refer(sender, cases[2], centers[1], "shelter", ["identity", "children"])
    services.referral_decline(actor=receiver, referral=declined, reason="no_capacity")
    done = _refer(sender, cases[3], centers[1], "legal_aid", ["identity", "incident_summary"])
    services.referral_complete(
        actor=receiver,
        referral=services.referral_accept(actor=receiver, referral=done),
        outcome="provided",
    )
    cancelled = _refer(sender, cases[0], centers[1], "case_management", ["identity"])
    services.referral_cancel(actor=sender, referral=cancelled)
    case_services.consent_grant(
        actor=sender,
        case=cases[4],
        scope="referral_center",
        granted_on=timezone.localdate(),
        expires_on=None,
        parts=list(ConsentPart.values),
    )
    transfer = services.referral_send(
        actor=sender,
        case=cases[4],
        partner=centers[1],
        purpose="case_management",
        parts=["identity", "contact", "risk_band", "children"],
        is_transfer=True,
    )
    services.referral_accept(actor=receiver, referral=transfer)
    write(
        f"  6 demo referrals from {organisations[0].name}, "
        f"one a transfer to {organisations[1].name}"
    )
