from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.totp import current_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
ENROL = reverse("accounts:enrol")


def password_step(client: Client, username: str, password: str = PASSWORD, next_url: str = "/"):
    return client.post(LOGIN, {"username": username, "password": password, "next": next_url})


def test_password_alone_does_not_open_the_dashboard(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = password_step(client, "alice")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_password_then_code_reaches_the_dashboard(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(client, "alice")
    device = personas.caseworker.totpdevice_set.get()

    response = client.post(VERIFY, {"token": current_code(device), "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["auth.login", "auth.second_factor_verified"]


def test_wrong_code_is_refused_and_audited(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(client, "alice")

    response = client.post(VERIFY, {"token": "000000", "next": "/"})

    assert response.status_code == 200
    assert "not valid" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.second_factor_failed").count() == 1


def test_malformed_code_gets_a_clear_message(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(client, "alice")

    response = client.post(VERIFY, {"token": "12ab", "next": "/"})

    assert "six digits" in response.content.decode()


def test_wrong_password_gets_a_clear_message_and_no_session(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = password_step(client, "alice", password="wrong-password")

    assert response.status_code == 200
    assert "username or password is wrong" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 1


def test_user_without_authenticator_must_enrol_before_anything_else(personas):
    personas.caseworker.totpdevice_set.all().delete()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(client, "alice")

    response = client.get(VERIFY, {"next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)

    page = client.get(ENROL + "?" + urlencode({"next": "/"}))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=personas.caseworker, confirmed=False)

    response = client.post(ENROL, {"token": current_code(device), "next": "/"})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.second_factor_enrolled").exists()


def test_enrolment_with_a_wrong_code_confirms_nothing(personas):
    personas.caseworker.totpdevice_set.all().delete()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(client, "alice")
    client.get(ENROL)

    response = client.post(ENROL, {"token": "000000", "next": "/"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=personas.caseworker, confirmed=True).exists()


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x"])
def test_next_cannot_send_the_user_to_another_site(personas, evil):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(client, "alice", next_url=evil)
    device = personas.caseworker.totpdevice_set.get()

    response = client.post(VERIFY, {"token": current_code(device), "next": evil})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_api_refuses_a_session_that_skipped_the_second_factor(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.caseworker)

    response = client.get("/api/v1/me")

    assert response.status_code == 403


def test_sign_out_ends_the_session_and_is_audited(client_for):
    client = client_for("caseworker")

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout").count() == 1


def test_sign_out_by_get_is_refused(client_for):
    client = client_for("caseworker")

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get("/").status_code == 200


def test_the_session_key_changes_at_the_second_factor(personas, settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(client, "alice")
    key_after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    device = personas.caseworker.totpdevice_set.get()

    client.post(VERIFY, {"token": current_code(device), "next": "/"})

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key_after_password
    assert client.get("/").status_code == 200
    stale = Client(HTTP_ACCEPT_LANGUAGE="en")
    stale.cookies[settings.SESSION_COOKIE_NAME] = key_after_password
    assert stale.get("/")["Location"].startswith(LOGIN)


def test_the_session_key_changes_at_enrolment(personas, settings):
    personas.caseworker.totpdevice_set.all().delete()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(client, "alice")
    client.get(ENROL)
    key_after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    device = TOTPDevice.objects.get(user=personas.caseworker, confirmed=False)

    client.post(ENROL, {"token": current_code(device), "next": "/"})

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key_after_password
    stale = Client(HTTP_ACCEPT_LANGUAGE="en")
    stale.cookies[settings.SESSION_COOKIE_NAME] = key_after_password
    assert stale.get("/")["Location"].startswith(LOGIN)
