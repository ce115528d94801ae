"""A password alone opens nothing: every URL pattern, walked with a password-only session."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.personas import PERSONAS
from tests.urlwalk import every_url

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:verify")
# What a session may reach between the password and the code: finishing or leaving the
# sign-in, the language switch and the API's description (/health answers before any
# of this, see HealthCheckMiddleware).
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:login",
    "accounts:verify",
    "accounts:enrol",
    "accounts:logout",
    "set_language",
    "api:schema",
    "api:docs",
}


def password_only(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    return client


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_every_page_and_endpoint_wants_the_second_factor(personas, persona):
    client = password_only(personas.user(persona).username)
    client.raise_request_exception = False
    urls = every_url()
    assert {u.view_name for u in urls} >= OPEN_BEFORE_SECOND_FACTOR
    leaks = []
    for url in urls:
        if url.view_name in OPEN_BEFORE_SECOND_FACTOR:
            continue
        for method in (client.get, client.post):
            response = method(url.path)
            if url.is_api:
                refused = response.status_code == 403
            else:
                refused = response.status_code == 302 and response["Location"].startswith(VERIFY)
            if not refused:
                leaks.append((method.__name__, url.path, response.status_code))
    assert len(urls) > 150
    assert leaks == []


def test_coordinator_is_sent_to_the_second_factor_from_the_shelter_board(personas):
    client = password_only("dana")

    for path in ("/shelters/", "/shelters/board.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    assert client.get("/api/v1/shelters").status_code == 403


def test_coordinator_without_an_authenticator_must_enrol(personas):
    personas.coordinator.totpdevice_set.all().delete()
    client = password_only("dana")

    response = client.get(VERIFY, {"next": "/"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))
    assert client.get("/")["Location"].startswith(VERIFY)
