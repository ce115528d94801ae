"""Demo data for ``manage.py seed_demo``. Later apps add their own seeders here."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership, Organisation, Region
from crisis_ops.organisations.roles import Role

DEMO_PASSWORD = "demo-Crisis-2026"  # noqa: S105 - printed on purpose; seed_demo refuses production.
# One shared, printed secret so a developer adds one entry to an authenticator app.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    region_code: str


ORGANISATIONS = [
    DemoOrganisation("Кризисный центр «Шанс» (Алматы)", Organisation.Kind.NGO, "almaty-city"),
    DemoOrganisation("Astana Family Support Centre", Organisation.Kind.STATE, "astana"),
    DemoOrganisation("Шымкент дағдарыс орталығы", Organisation.Kind.NGO, "shymkent"),
]

# username, first name, last name, language, role, organisation index
USERS = [
    ("aigerim", "Айгерим", "Сейткали", "kk", Role.CASEWORKER, 0),
    ("svetlana", "Светлана", "Ким", "ru", Role.SUPERVISOR, 0),
    ("gulnara", "Гульнара", "Ахметова", "ru", Role.SHELTER_MANAGER, 0),
    ("dana", "Dana", "Omarova", "en", Role.COORDINATOR, 0),
    ("erlan", "Ерлан", "Жумабеков", "ru", Role.ORG_ADMIN, 0),
    ("madina", "Мадина", "Нурланова", "ru", Role.CASEWORKER, 1),
    ("zhanar", "Жанар", "Бекова", "kk", Role.CASEWORKER, 2),
]


def demo_totp_secret() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


@transaction.atomic
def seed_organisations_and_users(write: Callable[[str], None]) -> None:
    organisations = [
        Organisation.objects.get_or_create(
            name=spec.name,
            defaults={"kind": spec.kind, "region": Region.objects.get(code=spec.region_code)},
        )[0]
        for spec in ORGANISATIONS
    ]
    for username, first, last, language, role, org_index in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "language": language},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=organisations[org_index], defaults={"role": role}
        )
        TOTPDevice.objects.get_or_create(
            user=user, defaults={"name": "demo", "key": DEMO_TOTP_KEY_HEX, "confirmed": True}
        )
        write(f"  {username:<10} {Role(role).label!s:<20} {organisations[org_index].name}")


def _seed_cases(write: Callable[[str], None]) -> None:
    from cases.demo import seed_cases

    seed_cases(write)


def _seed_orders(write: Callable[[str], None]) -> None:
    from protection_orders.demo import seed_orders

    seed_orders(write)


def _seed_shelters(write: Callable[[str], None]) -> None:
    from shelters.demo import seed_shelters

    seed_shelters(write)


def _seed_referrals(write: Callable[[str], None]) -> None:
    from referrals.demo import seed_referrals

    seed_referrals(write)


SEEDERS: list[Callable[[Callable[[str], None]], None]] = [
    seed_organisations_and_users,
    _seed_cases,
    _seed_orders,
    _seed_shelters,
    _seed_referrals,
]
