"""make bench-load's data: bench-shelters' centers, cases and shelters, plus the staff who
sign in, each with a known password and a TOTP key the locust users are handed."""

from __future__ import annotations

from typing import Any

PASSWORD = "bench-load-password-0142"  # noqa: S105 - a benchmark account on 127.0.0.1


def _password_hash() -> str:
    """The hash as the server's production hasher writes it (the seeding process may run
    under the test settings' fast hasher, which the server does not know); one for all."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    return hasher.encode(PASSWORD, hasher.salt())


def _account(username: str, organisation: Any, role: str, password: str) -> dict[str, str]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from crisis_ops.accounts.models import User
    from crisis_ops.organisations.models import Membership

    user, _ = User.objects.get_or_create(username=username, defaults={"language": "ru"})
    user.password = password
    user.is_active = True
    user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    # A fresh run may sign in within the 30 s step of the last one: forget the used code.
    device.last_t = -1
    device.throttling_failure_count = 0
    device.save()
    return {"username": username, "key": device.key, "role": role}


def accounts(staff: list[dict[str, Any]], caseworkers_per_center: int) -> dict[str, Any]:
    """Sign-in accounts by role; for shelter managers, the shelter whose grid they keep."""
    from cases.models import Case
    from crisis_ops.organisations.roles import Role
    from shelters.models import Shelter

    people: dict[str, list[dict[str, Any]]] = {"caseworker": [], "manager": [], "coordinator": []}
    password = _password_hash()
    for i, member in enumerate(staff):
        organisation = member["organisation"]
        cases = [
            str(pk)
            for pk in Case.objects.filter(organisation=organisation, is_restricted=False)
            .exclude(status=Case.Status.CLOSED)
            .order_by("reference")
            .values_list("pk", flat=True)[:200]
        ]
        for k in range(caseworkers_per_center):
            username = f"bench-load-cw-{i + 1:02d}-{k + 1:02d}"
            login = _account(username, organisation, Role.CASEWORKER, password)
            people["caseworker"].append({**login, "cases": cases})
        for shelter in Shelter.objects.filter(organisation=organisation).order_by("name")[:2]:
            username = f"bench-load-sm-{i + 1:02d}-{shelter.pk.hex[:6]}"
            login = _account(username, organisation, Role.SHELTER_MANAGER, password)
            people["manager"].append({**login, "shelter": str(shelter.pk)})
        login = _account(f"bench-load-co-{i + 1:02d}", organisation, Role.COORDINATOR, password)
        people["coordinator"].append(login)
    return people
