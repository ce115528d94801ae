"""gunicorn as deployed (crisis_ops/gunicorn.py, the compose command) writes its access log
after a case search, a duplicate check, an API search and an old-style address: the IIN,
the phone number and the name appear nowhere in it."""

from __future__ import annotations

import http.client
import json
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

import pytest
from django.test import Client

from bench.common import database_environment, free_port
from tests.cases.factories import intake
from tests.core.test_gunicorn import _gunicorn_argv, running
from tests.personas import sign_in

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME, SURNAME = "Динара", "Оспанова"
PHONE = "+7 701 555 12 34"


class _Browser:
    def __init__(self, port: int, session: str) -> None:
        self.port, self.cookies = port, {"sessionid": session}

    def send(self, method: str, path: str, body: str = "", **headers: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Host": "127.0.0.1", "Cookie": cookie, **headers}
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        connection.request(method, path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status


@pytest.fixture
def gunicorn(tmp_path):
    port, log = free_port(), tmp_path / "access.log"
    argv = _gunicorn_argv(port)
    argv[argv.index("--access-logfile") + 1] = str(log)
    env = {**__import__("os").environ, **database_environment()}
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    with running(argv, env, deadline_s=90):
        yield port, log


def test_the_access_log_keeps_no_name_iin_or_phone(gunicorn, personas):
    port, log = gunicorn
    case = intake(
        personas.caseworker,
        personas.center,
        survivor={"full_name": f"{SURNAME} {NAME}", "phone": PHONE},
    )
    iin = case.survivor.iin
    browser = _Browser(port, sign_in(Client(), personas.caseworker).cookies["sessionid"].value)
    form = "application/x-www-form-urlencoded"

    assert browser.send("GET", "/cases/") == 200  # the page, and its CSRF cookie
    assert browser.send("POST", "/cases/", urlencode({"q": iin}), **{"Content-Type": form}) == 302
    assert (
        browser.send("POST", "/cases/", urlencode({"q": SURNAME}), **{"Content-Type": form}) == 302
    )
    duplicates = urlencode({"iin": iin, "phone": PHONE})
    assert (
        browser.send("POST", "/cases/intake/duplicates/", duplicates, **{"Content-Type": form})
        == 200
    )
    api = json.dumps({"search": PHONE})
    assert (
        browser.send("POST", "/api/v1/cases/search", api, **{"Content-Type": "application/json"})
        == 200
    )
    # An old bookmark and a page that still links the old way: refused, and still logged.
    referer = f"http://127.0.0.1/cases/?q={quote(NAME)}"
    assert browser.send("GET", f"/cases/?q={iin}", Referer=referer) == 400
    assert browser.send("GET", f"/api/v1/cases?search={quote(PHONE)}") == 400

    process_log = log.read_text(encoding="utf-8")
    assert process_log.count("POST /cases/ ") == 2  # the log is written, request by request
    for secret in (iin, NAME, SURNAME, quote(NAME), quote(SURNAME), "7015551234", "555"):
        assert secret not in process_log, secret
