import json
from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership, Organisation, Region
from crisis_ops.organisations.roles import Role

PASSWORD = "correct-horse-battery-staple"


def send(client: Any, method: str, url: str, body: Any = None) -> Any:
    """An API call: GET, or another method with ``body`` as JSON (``{}`` when none)."""
    if method == "get":
        return client.get(url)
    payload = json.dumps({} if body is None else body)
    return getattr(client, method)(url, payload, content_type="application/json")


def post(client: Any, url: str, body: Any = None) -> Any:
    return send(client, "post", url, body)


def patch(client: Any, url: str, body: Any = None) -> Any:
    return send(client, "patch", url, body)


def text(response: Any) -> str:
    """A page's HTML, to look for what it shows."""
    return str(response.content.decode())


def region(code: str = "almaty-city") -> Region:
    # Regions are reference data loaded by a migration, so tests use the real rows.
    return Region.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Crisis center {n}")
    kind = Organisation.Kind.NGO
    region = factory.LazyFunction(region)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(
        cls, instance: User, create: bool, results: dict[str, Any] | None = None
    ) -> None:
        if create:  # the password was set after the first save
            instance.save()


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER


class TOTPDeviceFactory(factory.django.DjangoModelFactory[TOTPDevice]):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "authenticator"
    confirmed = True
