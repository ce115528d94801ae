"""The persona ladder every view and endpoint is walked against.

alice and bob are caseworkers of the same center (A); charlie is a caseworker
of another center (B) and timur its supervisor — the receiving center of a
referral or transfer; the supervisor, shelter manager, coordinator and org
admin belong to center A. ``anonymous`` is nobody signed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Organisation
from crisis_ops.organisations.roles import Role
from tests.factories import MembershipFactory, OrganisationFactory, TOTPDeviceFactory, region

PERSONAS = (
    "caseworker",
    "caseworker_same_center",
    "caseworker_other_center",
    "supervisor_other_center",
    "supervisor",
    "shelter_manager",
    "coordinator",
    "org_admin",
    "anonymous",
)


@dataclass
class Personas:
    center: Organisation
    other_center: Organisation
    caseworker: User
    caseworker_same_center: User
    caseworker_other_center: User
    supervisor_other_center: User
    supervisor: User
    shelter_manager: User
    coordinator: User
    org_admin: User
    # The ids of the rows a test's world made, by URL parameter (test_schemathesis).
    ids: dict[str, Any] = field(default_factory=dict)

    def user(self, name: str) -> User | None:
        user: User | None = None if name == "anonymous" else getattr(self, name)
        return user


def make_personas() -> Personas:
    center = OrganisationFactory.create(name="Center A", region=region("almaty-city"))
    other = OrganisationFactory.create(name="Center B", region=region("astana"))

    def member(username: str, role: Role, organisation: Organisation) -> User:
        membership = MembershipFactory.create(
            user__username=username, role=role, organisation=organisation
        )
        TOTPDeviceFactory.create(user=membership.user)
        return membership.user

    return Personas(
        center=center,
        other_center=other,
        caseworker=member("alice", Role.CASEWORKER, center),
        caseworker_same_center=member("bob", Role.CASEWORKER, center),
        caseworker_other_center=member("charlie", Role.CASEWORKER, other),
        supervisor_other_center=member("timur", Role.SUPERVISOR, other),
        supervisor=member("svetlana", Role.SUPERVISOR, center),
        shelter_manager=member("gulnara", Role.SHELTER_MANAGER, center),
        coordinator=member("dana", Role.COORDINATOR, center),
        org_admin=member("erlan", Role.ORG_ADMIN, center),
    )


def sign_in(client: Client, user: User | None) -> Client:
    """Sign in past both factors, as the login pages would leave the session.

    Every user needs the second factor, so one without an authenticator gets one here.
    """
    if user is None:
        return client
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDeviceFactory.create(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
