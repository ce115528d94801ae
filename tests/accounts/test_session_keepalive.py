"""The browser's half of the idle sign-out asks the server (session state, keep-alive),
and the sign-in page says why she is there again."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from crisis_ops.accounts.drafts import draft_key_for, draft_owner_for
from tests.personas import sign_in

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))
BACKGROUND = {"HTTP_X_BACKGROUND_REFRESH": "1", "HTTP_HX_REQUEST": "true"}


def test_asking_how_long_is_left_does_not_count_as_activity(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        client.get("/")
        clock.shift(timedelta(minutes=13))

        answer = client.get("/accounts/session/", **BACKGROUND).json()

        assert answer == {"signed_in": True, "idle_seconds_left": 120}
        clock.shift(timedelta(minutes=2, seconds=1))
        response = client.get("/accounts/session/", **BACKGROUND)
        assert response.status_code == 204
        assert response["HX-Redirect"].startswith("/accounts/login/?")
        assert "reason=idle" in response["HX-Redirect"]


def test_a_keep_alive_extends_the_session_by_the_whole_limit(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        client.get("/")
        clock.shift(timedelta(minutes=13))

        answer = client.post("/accounts/session/keepalive/").json()

        assert answer == {"signed_in": True, "idle_seconds_left": 900}
        clock.shift(timedelta(minutes=14))
        assert client.get("/").status_code == 200


def test_a_keep_alive_after_the_limit_does_not_bring_the_session_back(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        client.get("/")
        clock.shift(timedelta(minutes=15, seconds=1))

        response = client.post("/accounts/session/keepalive/")

        assert response.status_code == 302
        assert "reason=idle" in response.url
        assert client.get("/").status_code == 302


def test_signed_out_browser_is_told_so():
    client = Client()
    assert client.get("/accounts/session/").json() == {"signed_in": False}
    assert client.post("/accounts/session/keepalive/").status_code == 401
    assert client.get("/accounts/drafts/sent/?key=abcdefgh12").status_code == 401


def test_idle_sign_out_lands_on_a_sign_in_page_that_says_why(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        client.get("/cases/")
        clock.shift(timedelta(minutes=16))

        response = client.get("/cases/", follow=True)

        assert response.redirect_chain[0][0] == "/accounts/login/?next=%2Fcases%2F&reason=idle"
        assert "signed out after 15 minutes without activity" in response.content.decode()
        assert 'name="next" value="/cases/"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "signed out after 15 minutes without activity"),
        ("ru", "15 минут без действий"),
        ("kk", "15 минут әрекетсіз"),
    ],
)
def test_the_reason_is_said_in_every_language(language, words):
    with translation.override(language):
        page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/accounts/login/?reason=idle")
    assert words in page.content.decode()


def test_a_plain_sign_in_page_gives_no_reason():
    page = Client().get("/accounts/login/").content.decode()
    assert "without activity" not in page
    assert "signed-out-reason" not in page


def test_the_draft_key_comes_only_with_a_verified_session(personas):
    user = personas.caseworker
    anonymous = Client().get("/accounts/login/").content.decode()
    assert 'name="draft-key"' not in anonymous

    page = sign_in(Client(), user).get("/").content.decode()

    assert f'name="draft-key" content="{draft_key_for(user=user)}"' in page
    assert f'data-owner="{draft_owner_for(user=user)}"' in page
    assert "js/drafts." in page


def test_the_draft_key_is_the_same_in_her_next_session_and_not_another_users(personas):
    """So a draft kept through an idle sign-out opens after she signs in again."""
    user = personas.caseworker
    first = sign_in(Client(), user).get("/").content.decode()
    second = sign_in(Client(), user).get("/").content.decode()
    key = draft_key_for(user=user)

    assert f'content="{key}"' in first and f'content="{key}"' in second
    assert draft_key_for(user=personas.supervisor) != key
    assert draft_owner_for(user=personas.supervisor) != draft_owner_for(user=user)


def test_a_new_password_makes_old_drafts_unreadable(personas):
    user = personas.caseworker
    before = draft_key_for(user=user)
    user.set_password("another long passphrase 42")
    assert draft_key_for(user=user) != before


def test_drafts_sent_names_the_keys_whose_submit_arrived(client_for, personas):
    from crisis_ops.core.models import IdempotencyKey

    client = client_for("caseworker")
    IdempotencyKey.objects.create(
        user=personas.caseworker, key="arrived-key-1", method="POST", path="/x/", done=True
    )
    IdempotencyKey.objects.create(
        user=personas.supervisor, key="someone-elses", method="POST", path="/x/", done=True
    )

    answer = client.get(
        "/accounts/drafts/sent/?key=arrived-key-1&key=never-came-1&key=someone-elses"
    ).json()

    assert answer == {"sent": ["arrived-key-1"]}
