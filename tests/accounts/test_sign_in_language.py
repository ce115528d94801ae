"""The language chosen on the sign-in page survives the password step and the second
factor, instead of being replaced by the profile's (issue 12, "People")."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.totp import current_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _choose(client, language):
    return client.post(reverse("set_language"), {"language": language, "next": LOGIN})


def test_the_language_chosen_before_the_password_is_kept_through_both_steps(personas):
    personas.caseworker.language = "ru"
    personas.caseworker.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _choose(client, "kk")
    assert '<html lang="kk">' in client.get(LOGIN).content.decode()

    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    verify = client.get(response["Location"])
    assert '<html lang="kk">' in verify.content.decode()
    device = personas.caseworker.totpdevice_set.get()
    client.post(reverse("accounts:verify"), {"token": current_code(device), "next": "/"})
    assert '<html lang="kk">' in client.get("/").content.decode()
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.language == "kk"


def test_without_a_choice_on_the_sign_in_page_her_profile_language_wins(personas):
    personas.caseworker.language = "ru"
    personas.caseworker.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")

    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "/"})

    assert '<html lang="ru">' in client.get(response["Location"]).content.decode()
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.language == "ru"


def test_the_previous_person_s_choice_does_not_carry_to_the_next_sign_in(personas):
    """A shared computer: after sign-out the next person gets her own profile language."""
    personas.caseworker_same_center.language = "ru"
    personas.caseworker_same_center.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _choose(client, "kk")
    client.post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "/"})
    client.post(reverse("accounts:logout"))

    response = client.post(LOGIN, {"username": "bob", "password": PASSWORD, "next": "/"})

    assert '<html lang="ru">' in client.get(response["Location"]).content.decode()
    personas.caseworker_same_center.refresh_from_db()
    assert personas.caseworker_same_center.language == "ru"


def test_a_wrong_password_keeps_the_chosen_language_on_the_page(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _choose(client, "ru")

    response = client.post(LOGIN, {"username": "alice", "password": "wrong", "next": "/"})

    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
