from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crisis_ops.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))


def test_activity_within_fifteen_minutes_keeps_the_session(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=14))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=14))
        assert client.get("/").status_code == 200


def test_fifteen_idle_minutes_sign_the_user_out(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=15, seconds=1))

        response = client.get("/")

        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        page = client.get(response.url)
        assert "15 minutes" in page.content.decode()
        assert AuditEvent.objects.filter(action="auth.idle_logout").count() == 1
        assert client.get("/").status_code == 302


def test_idle_api_session_is_refused(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        assert client.get("/api/v1/me").status_code == 200
        clock.shift(timedelta(minutes=16))

        assert client.get("/api/v1/me").status_code in (401, 403)


def test_pages_carry_the_idle_limit_for_the_browser_timer(client_for):
    page = client_for("caseworker").get("/").content.decode()

    assert 'data-idle-seconds="900"' in page
    assert "js/idle." in page


BACKGROUND = {"HTTP_X_BACKGROUND_REFRESH": "1", "HTTP_HX_REQUEST": "true"}


def test_a_page_refreshing_itself_does_not_keep_the_session_alive(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        assert client.get("/").status_code == 200
        seen = client.session["last_seen"]
        clock.shift(timedelta(minutes=10))

        assert client.get("/shelters/board/rows/", **BACKGROUND).status_code == 200
        assert client.session["last_seen"] == seen
        clock.shift(timedelta(minutes=5, seconds=1))

        response = client.get("/shelters/board/rows/", **BACKGROUND)

        # htmx is told to send the whole page to sign-in, not to swap a login form in.
        assert response.status_code == 204
        assert response["HX-Redirect"] == "/accounts/login/?reason=idle"
        assert AuditEvent.objects.filter(action="auth.idle_logout").count() == 1
        assert client.get("/").status_code == 302


def test_a_click_after_a_background_refresh_still_counts_as_activity(client_for):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("caseworker")
        client.get("/")
        clock.shift(timedelta(minutes=10))
        client.get("/shelters/board/rows/", **BACKGROUND)
        assert client.get("/shelters/").status_code == 200
        clock.shift(timedelta(minutes=10))

        assert client.get("/shelters/board/rows/", **BACKGROUND).status_code == 200
        assert not AuditEvent.objects.filter(action="auth.idle_logout").exists()
