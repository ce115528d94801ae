"""make bench-load's simulated staff (run by bench/load.py; not a module of the app).

Every user signs in through the real password and TOTP pages, then works as its role
does in a day at a center. Each request is named by its kind; every one is recorded by
``_record`` and written to $BENCH_LOAD_OUT when locust stops. A 5xx or a dropped
connection is an error; any other answer than the one the page gives is "unexpected".
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from collections import defaultdict
from typing import Any

from locust import HttpUser, between, constant_pacing, events, task

ACCOUNTS: dict[str, list[dict[str, Any]]] = json.loads(
    open(os.environ["BENCH_LOAD_ACCOUNTS"], encoding="utf-8").read()  # noqa: SIM115
)
PASSWORD = os.environ["BENCH_LOAD_PASSWORD"]
_NEXT = {role: itertools.count() for role in ("caseworker", "board", "manager", "coordinator")}
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_SAMPLES: dict[str, list[float]] = defaultdict(list)
_ERRORS: dict[str, int] = defaultdict(int)
_ERROR_EXAMPLES: list[str] = []
_UNEXPECTED: dict[str, list[str]] = defaultdict(list)


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 as django-otp's TOTPDevice defaults: SHA-1, 30 s steps, 6 digits."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


@events.request.add_listener
def _record(name: str, response_time: float, response: Any, exception: Any, **_: Any) -> None:
    _SAMPLES[name].append(response_time)
    status = getattr(response, "status_code", 0) or 0
    if exception is not None and (status == 0 or status >= 500):
        _ERRORS[name] += 1
        if len(_ERROR_EXAMPLES) < 20:
            _ERROR_EXAMPLES.append(f"{name}: {status} {exception}"[:300])
    elif exception is not None:
        _UNEXPECTED[name].append(f"{status} {exception}"[:200])


@events.quitting.add_listener
def _write(**_: Any) -> None:
    out = os.environ.get("BENCH_LOAD_OUT")
    if out:
        data = {
            "samples": _SAMPLES,
            "errors": _ERRORS,
            "error_examples": _ERROR_EXAMPLES,
            "unexpected": _UNEXPECTED,
        }
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(data, handle)


class Staff(HttpUser):
    abstract = True
    role = "caseworker"
    pool = "caseworker"

    def on_start(self) -> None:
        accounts = ACCOUNTS[self.pool]
        self.account = accounts[next(_NEXT[self.role]) % len(accounts)]
        # The TLS proxy's header, as docs/operations.md deploys it (BEHIND_TLS_PROXY=1).
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Referer": f"https://{self._host()}/"}
        )
        self.sign_in()

    def _host(self) -> str:
        return str(self.host).split("://", 1)[1].rstrip("/")

    def _expect(self, method: str, url: str, name: str, status: int, **kwargs: Any) -> Any:
        kwargs.setdefault("allow_redirects", False)
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as r:
            if r.status_code != status:
                r.failure(f"{r.status_code} where {status} was expected: {url}")
            return r

    def _post(self, url: str, name: str, data: dict[str, str], status: int = 302) -> Any:
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken") or "", **data}
        return self._expect("POST", url, name, status, data=data)

    def sign_in(self) -> None:
        self._expect("GET", "/accounts/login/", "sign_in", 200)
        username = self.account["username"]
        self._post("/accounts/login/", "sign_in", {"username": username, "password": PASSWORD})
        self._expect("GET", "/accounts/two-factor/", "sign_in", 200)
        # Two users of one device never share a code: one device, one locust user.
        self._post("/accounts/two-factor/", "sign_in", {"token": totp(self.account["key"])})


class Caseworker(Staff):
    """Opens her case list and cases, writes notes, takes intakes step by step."""

    weight = 28
    wait_time = between(1, 4)

    def _case(self) -> str:
        return str(random.choice(self.account["cases"]))  # noqa: S311

    @task(6)
    def case_list(self) -> None:
        page = random.choice(["", "", "?page=2", "?status=open", "?status=active"])  # noqa: S311
        self._expect("GET", f"/cases/{page}", "case_list", 200)

    @task(8)
    def case_page(self) -> None:
        self._expect("GET", f"/cases/{self._case()}/", "case_page", 200)

    @task(3)
    def note_save(self) -> None:
        case = self._case()
        page = self._expect("GET", f"/cases/{case}/", "case_page", 200)
        form = page.text.split(f'action="/cases/{case}/notes/"', 1)[-1].split("</form>", 1)[0]
        fields = dict(_HIDDEN.findall(form))
        fields["text"] = "Позвонила, договорились о встрече в четверг в 10:00."
        self._post(f"/cases/{case}/notes/", "note_save", fields)

    @task(2)
    def intake_step(self) -> None:
        self._expect("GET", "/cases/intake/", "intake_page", 200)
        for step, fields in enumerate(
            (
                {"full_name": "Айгерим Нурланова", "phone": "+77011234567"},
                {"source": "hotline_150", "violence_types": "physical"},
            ),
            start=1,
        ):
            self._post("/cases/intake/autosave/", "intake_step", {"step": str(step), **fields}, 200)


class BoardTab(Staff):
    """An open shelter board: the page once, then its rows every 30 seconds."""

    weight = 12
    pool = "board"
    role = "board"
    wait_time = constant_pacing(30)

    def on_start(self) -> None:
        super().on_start()
        self._expect("GET", "/shelters/", "board_page", 200)

    @task
    def board_refresh(self) -> None:
        self._expect("GET", "/shelters/board/rows/", "board_refresh", 200)


class ShelterManager(Staff):
    """Keeps her shelter's bed grid open and acts on it."""

    weight = 8
    pool = "manager"
    role = "manager"
    wait_time = between(2, 6)

    @task(5)
    def bed_grid(self) -> None:
        self._expect("GET", f"/shelters/{self.account['shelter']}/", "bed_grid", 200)

    @task(1)
    def my_shelter(self) -> None:
        self._expect("GET", "/shelters/mine/", "bed_grid", 200)


class Coordinator(Staff):
    """Now and then: the dashboard, the board, the turn-aways."""

    weight = 2
    pool = "coordinator"
    role = "coordinator"
    wait_time = between(5, 15)

    @task
    def look_around(self) -> None:
        url = random.choice(["/", "/shelters/", "/shelters/turn-aways/"])  # noqa: S311
        self._expect("GET", url, "coordinator", 200)
