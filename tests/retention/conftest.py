from typing import Any

import pytest

# A throwaway redis-server and real worker processes, as the reminder fault tests use them.
from tests.reminders.test_faults import broker, workers  # noqa: F401


def recording_key_destruction(monkeypatch) -> list[Any]:
    """The survivors whose data key the purge destroyed, in order (the real destruction runs)."""
    from crisis_ops.retention import purge

    destroyed: list[Any] = []
    real = purge._destroy_key

    def recording(survivor_id):
        destroyed.append(survivor_id)
        return real(survivor_id)

    monkeypatch.setattr(purge, "_destroy_key", recording)
    return destroyed


@pytest.fixture
def destroyed_keys(monkeypatch):
    return recording_key_destruction(monkeypatch)
