import pytest
from django.test import Client
from django.urls import reverse

from crisis_ops.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def attempt(client: Client, username: str, password: str, ip: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_five_times(client: Client, username: str, ip: str) -> None:
    for _ in range(5):
        attempt(client, username, "wrong-password", ip)


def test_five_failures_lock_that_username_from_that_address(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    fail_five_times(client, "alice", "10.0.0.1")

    response = attempt(client, "alice", PASSWORD, "10.0.0.1")

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_lockout_does_not_block_the_same_user_from_another_address(personas):
    fail_five_times(Client(HTTP_ACCEPT_LANGUAGE="en"), "alice", "10.0.0.1")

    response = attempt(Client(HTTP_ACCEPT_LANGUAGE="en"), "alice", PASSWORD, "10.0.0.2")

    assert response.status_code == 302


def test_lockout_does_not_block_another_user_from_the_same_address(personas):
    fail_five_times(Client(HTTP_ACCEPT_LANGUAGE="en"), "alice", "10.0.0.1")

    response = attempt(Client(HTTP_ACCEPT_LANGUAGE="en"), "bob", PASSWORD, "10.0.0.1")

    assert response.status_code == 302


def test_four_failures_still_allow_the_right_password(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(4):
        attempt(client, "alice", "wrong-password", "10.0.0.1")

    assert attempt(client, "alice", PASSWORD, "10.0.0.1").status_code == 302
