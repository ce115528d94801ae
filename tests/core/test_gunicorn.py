"""gunicorn as docker-compose starts it, with production settings: proxy trust and health."""

from __future__ import annotations

import http.client
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import yaml

from bench.common import free_port
from tests.production import HOST, PRODUCTION, ROOT, production_env

pytestmark = pytest.mark.integration

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _gunicorn_argv(port: int) -> list[str]:
    """The web service's gunicorn command, on a free port of this machine."""
    command = COMPOSE["services"]["web"]["command"]
    words = shlex.split(shlex.split(command)[-1].split("&&")[-1])
    assert words[0] == "gunicorn"
    bind = words.index("--bind")
    words[bind + 1] = f"127.0.0.1:{port}"
    workers = words.index("--workers")
    words[workers + 1] = "1"
    return [sys.executable, "-m", "gunicorn", *words[1:]]


@contextmanager
def running(argv: list[str], env: dict[str, str], *, deadline_s: float = 60) -> Iterator[None]:
    """gunicorn started with ``argv``, until its worker boots; stopped afterwards (killed if
    it is still up after ``deadline_s``)."""
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(deadline_s, process.kill)
    watchdog.start()
    try:
        assert process.stderr is not None
        for line in process.stderr:
            # Past this line the socket is open; requests wait for the worker to boot.
            if "Booting worker" in line:
                break
        else:
            pytest.fail("gunicorn did not start")
        yield
    finally:
        watchdog.cancel()
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module", params=[False, True], ids=["direct", "behind-tls-proxy"])
def server(request) -> Iterator[tuple[int, bool]]:
    behind_proxy = request.param
    port = free_port()
    env = production_env({**PRODUCTION, "BEHIND_TLS_PROXY": "1" if behind_proxy else "0"})
    with running(_gunicorn_argv(port), env):
        yield port, behind_proxy


def _get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_forwarded_proto_is_believed_only_behind_the_tls_proxy(server):
    port, behind_proxy = server

    response = _get(port, "/accounts/login/", {"Host": HOST, "X-Forwarded-Proto": "https"})

    if behind_proxy:
        assert response.status == 200
    else:
        assert response.status == 301
        assert response.getheader("Location") == f"https://{HOST}/accounts/login/"


def test_plain_http_is_sent_to_https(server):
    port, _ = server

    response = _get(port, "/accounts/login/", {"Host": HOST})

    assert response.status == 301


def test_the_compose_healthcheck_passes_under_production_settings(server):
    port, _ = server
    test = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    argv = [
        sys.executable,
        *(word.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for word in test[2:]),
    ]

    result = subprocess.run(argv, capture_output=True, text=True, timeout=30)

    assert result.returncode == 0, result.stderr


def test_health_says_nothing_but_up(server):
    port, _ = server

    response = _get(port, "/health", {"Host": "127.0.0.1:8000"})

    assert response.status == 200
    assert "no-store" in response.getheader("Cache-Control")


def test_gunicorn_outlasts_the_client_on_an_idle_kept_alive_connection():
    """A server that closes an idle connection first races the client's next request on it
    (a reset, a dropped request): gunicorn must keep it longer than the proxy does (60 s)."""
    from gunicorn.app.base import Application
    from gunicorn.config import Config

    class Loaded(Application):  # type: ignore[misc]  # gunicorn has no types
        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

    app = Loaded.__new__(Loaded)
    app.cfg = Config()
    app.load_config_from_module_name_or_filename("python:crisis_ops.gunicorn")
    assert app.cfg.keepalive >= 65
