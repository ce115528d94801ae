"""A new staff member signs in with the temporary password an admin gave her and is made
to choose her own before anything else (issue 12, "People"); the API answers 403 with a
clear message until then. An admin's reset sets the same flag."""

import pytest
from django.test import Client
from django.urls import reverse

from crisis_ops.accounts.models import User
from crisis_ops.audit.models import AuditEvent
from crisis_ops.organisations import services as org_services
from tests.factories import TOTPDeviceFactory
from tests.personas import sign_in
from tests.totp import current_code

pytestmark = pytest.mark.django_db

TEMPORARY = "a-temporary-passphrase-1"
OWN = "my-own-secret-river-stone"
CHANGE = reverse("accounts:password_change")


@pytest.fixture
def newcomer(personas):
    membership = org_services.member_create(
        actor=personas.org_admin,
        organisation=personas.center,
        username="nurlan",
        first_name="Нурлан",
        last_name="Абенов",
        email="nurlan@example.org",
        role="caseworker",
        password=TEMPORARY,
        language="en",
    )
    return membership.user


def _signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    return sign_in(client, user)


def _change(client, old=TEMPORARY, new=OWN, again=None, next_url="/cases/"):
    return client.post(
        CHANGE,
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": again or new,
            "next": next_url,
        },
    )


# --- the services ---------------------------------------------------------------------------


def test_an_account_an_admin_creates_must_choose_its_own_password(newcomer):
    assert newcomer.must_change_password is True
    assert newcomer.check_password(TEMPORARY)


def test_an_admin_reset_sets_a_temporary_password_and_the_flag(personas):
    membership = personas.caseworker.memberships.get()

    org_services.member_password_reset(
        actor=personas.org_admin, membership=membership, password=TEMPORARY
    )

    user = User.objects.get(pk=personas.caseworker.pk)
    assert user.must_change_password and user.check_password(TEMPORARY)
    assert AuditEvent.objects.filter(action="membership.password_reset").count() == 1


def test_an_admin_cannot_reset_her_own_password_from_the_staff_page(personas):
    from django.core.exceptions import ValidationError

    membership = personas.org_admin.memberships.get()

    with pytest.raises(ValidationError):
        org_services.member_password_reset(
            actor=personas.org_admin, membership=membership, password=TEMPORARY
        )
    assert not User.objects.get(pk=personas.org_admin.pk).must_change_password


# --- the pages --------------------------------------------------------------------------------


def test_the_whole_sign_in_ends_on_the_password_change_first(newcomer):
    TOTPDeviceFactory.create(user=newcomer)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("accounts:login"), {"username": "nurlan", "password": TEMPORARY})
    device = newcomer.totpdevice_set.get()

    verified = client.post(reverse("accounts:verify"), {"token": current_code(device), "next": "/"})

    assert verified.status_code == 302 and verified["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 302 and page["Location"].startswith(CHANGE)


@pytest.mark.parametrize("path", ["/", "/cases/", "/cases/intake/", "/notifications/"])
def test_every_page_sends_her_to_choose_her_password(newcomer, path):
    response = _signed_in(newcomer).get(path)

    assert response.status_code == 302
    assert response.url.startswith(CHANGE)


def test_the_change_page_says_why(newcomer):
    response = _signed_in(newcomer).get(CHANGE)

    assert response.status_code == 200
    assert "temporary password" in response.content.decode()


def test_choosing_her_own_password_lets_her_on(newcomer):
    client = _signed_in(newcomer)

    response = _change(client)

    assert response.status_code == 302 and response.url == "/cases/"
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password and newcomer.check_password(OWN)
    assert client.get("/cases/").status_code == 200  # still signed in
    assert AuditEvent.objects.filter(action="auth.password_changed", actor_id=newcomer.pk).exists()


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("wrong-password-here", OWN, None, "temporary password is wrong"),
        (TEMPORARY, TEMPORARY, None, "not the temporary one"),
        (TEMPORARY, OWN, OWN + "x", "differ"),
        (TEMPORARY, "short", None, "too short"),
    ],
)
def test_a_bad_new_password_changes_nothing_and_says_why(newcomer, old, new, again, message):
    response = _change(_signed_in(newcomer), old=old, new=new, again=again)

    assert response.status_code == 200
    assert message in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password and newcomer.check_password(TEMPORARY)


def test_the_admin_resets_a_password_on_the_staff_page(client_for, personas):
    membership = personas.caseworker.memberships.get()
    url = reverse("organisations:member_password_reset", args=[membership.pk])

    response = client_for("org_admin").post(url, {"password": TEMPORARY})

    assert response.status_code == 302
    assert User.objects.get(pk=personas.caseworker.pk).must_change_password


def test_a_weak_reset_on_the_staff_page_changes_nothing(client_for, personas):
    membership = personas.caseworker.memberships.get()
    url = reverse("organisations:member_password_reset", args=[membership.pk])

    response = client_for("org_admin").post(url, {"password": "123"})

    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not User.objects.get(pk=personas.caseworker.pk).must_change_password


def test_only_her_org_admin_resets_a_password(client_for, personas):
    membership = personas.caseworker.memberships.get()
    url = reverse("organisations:member_password_reset", args=[membership.pk])

    assert client_for("supervisor").post(url, {"password": TEMPORARY}).status_code in (403, 404)
    assert not User.objects.get(pk=personas.caseworker.pk).must_change_password


# --- the API ----------------------------------------------------------------------------------


def test_the_api_answers_403_with_a_clear_message_until_she_changes_it(newcomer):
    client = _signed_in(newcomer)

    refused = client.get("/api/v1/cases")

    assert refused.status_code == 403
    assert "temporary password" in refused.json()["detail"]
    _change(client)
    assert client.get("/api/v1/cases").status_code == 200


def test_a_token_of_an_account_with_a_temporary_password_is_refused(personas):
    from crisis_ops.accounts.tokens import api_token_create

    _token, key = api_token_create(user=personas.caseworker, name="sheet", scope="read")
    User.objects.filter(pk=personas.caseworker.pk).update(must_change_password=True)

    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        "/api/v1/cases", HTTP_AUTHORIZATION=f"Token {key}"
    )

    assert response.status_code == 403
    assert "temporary password" in response.json()["detail"]


def test_the_api_resets_a_password(client_for, personas):
    membership = personas.caseworker.memberships.get()

    response = client_for("org_admin").post(
        f"/api/v1/members/{membership.pk}/password",
        {"password": TEMPORARY},
        content_type="application/json",
    )
    weak = client_for("org_admin").post(
        f"/api/v1/members/{membership.pk}/password",
        {"password": "123"},
        content_type="application/json",
    )

    assert response.status_code == 204
    assert weak.status_code == 400 and set(weak.json()["errors"]) == {"password"}
    assert User.objects.get(pk=personas.caseworker.pk).must_change_password
