from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread

from tests.personas import Personas, make_personas, sign_in


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


@pytest.fixture
def client_for(personas):
    """client_for("caseworker") -> a client signed in as that persona (or anonymous)."""

    def make(name: str) -> Client:
        return sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), personas.user(name))

    return make


@pytest.fixture(scope="session", autouse=True)
def _collected_static(django_db_blocker):
    """Pages name hashed static files, so the manifest must exist before any render.

    Compressing every file takes ~20 s, so it reruns only when our static files changed.
    """
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [p for d in settings.STATICFILES_DIRS for p in Path(d).rglob("*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources):
        return
    with django_db_blocker.unblock():
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service messages are asserted in English; pages pick their own language per request."""
    from django.utils import translation

    with translation.override("en"):
        yield


class _Server(ThreadedWSGIServer):
    # Many connections may arrive together (the shelter race sends fifty): the default
    # backlog of 10 would make some clients wait a second for a SYN retry.
    request_queue_size = 128


class _ServerThread(LiveServerThread):
    server_class = _Server


@pytest.fixture
def server_url(transactional_db, django_db_serialized_rollback):
    """A real threaded HTTP server on the test database, a connection per request;
    WhiteNoise serves the hashed static files (browser journeys, the shelter race)."""
    thread = _ServerThread("127.0.0.1", static_handler=lambda handler: handler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
