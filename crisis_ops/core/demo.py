"""Demo data for ``manage.py seed_demo``: the organisations and one user per role here;
each app adds its own in ``<app>/demo.py`` with ``@register_seeder``.

``seed_demo`` imports every installed app's ``demo`` module (``autodiscover_modules``)
and runs the seeders by their ``order``: organisations and users (0), cases (10),
protection orders (20), shelters (30), referrals (40); then two years of history
(``<app>/demo_history.py``): cases (50), orders (60), shelters (70), referrals (80), after
today's demo rows so that those stay as they were.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership, Organisation, Region
from crisis_ops.organisations.roles import Role

Seeder = Callable[[Callable[[str], None]], None]
_SEEDERS: dict[Seeder, int] = {}


def register_seeder(*, order: int) -> Callable[[Seeder], Seeder]:
    """Decorator for an app's demo seeder, ``seeder(write)``, idempotent; lower ``order``
    runs first, so an app's data can rely on what the seeders before it made."""

    def decorate(seeder: Seeder) -> Seeder:
        _SEEDERS[seeder] = order
        return seeder

    return decorate


def demo_seeders() -> list[Seeder]:
    """Every installed app's seeders (``<app>/demo.py``), in their order."""
    autodiscover_modules("demo")
    return sorted(_SEEDERS, key=lambda seeder: _SEEDERS[seeder])


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


@register_seeder(order=0)
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
