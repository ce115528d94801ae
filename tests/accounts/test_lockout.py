import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from crisis_ops.accounts.client_ip import client_ip
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


PROXY = "10.0.0.254"


def through_proxy(client: Client, username: str, password: str, *, real: str, claimed: str = ""):
    """A request as the TLS proxy passes it on: the proxy appends the address it saw."""
    forwarded = f"{claimed}, {real}" if claimed else real
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_an_attacker_cannot_lock_her_out_from_another_client(personas):
    attacker = Client(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(5):
        through_proxy(attacker, "alice", "wrong-password", real="203.0.113.9", claimed=f"1.1.1.{n}")

    assert through_proxy(attacker, "alice", PASSWORD, real="203.0.113.9").status_code == 429
    alice = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert through_proxy(alice, "alice", PASSWORD, real="198.51.100.7").status_code == 302


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(personas):
    attacker = Client(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(5):
        through_proxy(attacker, "alice", "wrong-password", real="203.0.113.9", claimed=f"1.1.1.{n}")

    response = through_proxy(
        attacker, "alice", PASSWORD, real="203.0.113.9", claimed="198.51.100.7"
    )

    assert response.status_code == 429


@override_settings(PROXY_COUNT=0)
def test_without_a_proxy_the_forwarded_for_header_is_ignored(personas):
    attacker = Client(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(5):
        attacker.post(
            LOGIN,
            {"username": "alice", "password": "wrong-password"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{n}",
        )

    response = attacker.post(
        LOGIN,
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 429
    assert attempt(Client(), "alice", PASSWORD, "198.51.100.7").status_code == 302


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.254"),
        (1, "1.1.1.1, 198.51.100.7", "198.51.100.7"),
        (2, "1.1.1.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.254"),
        (1, "not-an-address", "10.0.0.254"),
        (1, "", "10.0.0.254"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_trusts_exactly_the_configured_proxies(settings, hops, forwarded, expected):
    settings.PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
