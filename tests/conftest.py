from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread

from tests.personas import Personas, make_personas, sign_in

# Every encrypted value of a survivor is sealed with a data key from the key store, a
# database of its own: any test that may touch the database may touch it too.
KEYSTORE_ALIAS = "keystore"
_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every database test the key store alias too (its marker's own databases, or the
    default one), keeping the marker's other arguments; and every transactional test a
    serialized rollback.

    Serialized rollback for all of them, because the two kinds cannot follow each other:
    the flush after a test without it runs post_migrate, which makes new content types and
    permissions, and a test with it then restores the serialized ones on top of them (a
    duplicate key at setup). With it everywhere, each transactional test also starts with
    the migrations' rows (regions, order types) and leaves nothing behind.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        if marker is None and not fixtures & _DB_FIXTURES:
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        databases = kwargs.get("databases")
        if databases != "__all__":
            wanted = ["default"] if databases is None else list(databases)
            if KEYSTORE_ALIAS not in wanted:
                kwargs["databases"] = [*wanted, KEYSTORE_ALIAS]
        transactional = (
            kwargs.get("transaction")
            or kwargs.get("reset_sequences")
            or fixtures & _TRANSACTIONAL_FIXTURES
        )
        if transactional:
            kwargs["serialized_rollback"] = True
        if marker is not None and kwargs == marker.kwargs:
            continue
        args = marker.args if marker else ()
        # Prepended, so it is the closest django_db marker pytest-django finds.
        item.add_marker(pytest.mark.django_db(*args, **kwargs), append=False)


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
def _no_data_key_from_another_test():
    """A test's key-store rows are rolled back (or flushed) after it; the unwrapped keys this
    process cached must go with them, or the next test would seal values with a key its
    key store never held."""
    from crisis_ops.encryption.cache import reset_key_cache

    reset_key_cache()
    yield
    reset_key_cache()


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
    # Django calls static_handler(handler): any callable does, the stubs want a class.
    thread = _ServerThread("127.0.0.1", static_handler=lambda handler: handler)  # type: ignore[arg-type]
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
