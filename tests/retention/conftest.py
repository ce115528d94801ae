import pytest


@pytest.fixture
def destroyed_keys(monkeypatch):
    """The survivors whose data key the purge destroyed, in order."""
    from crisis_ops.retention import services

    destroyed: list = []
    real = services._destroy_key

    def recording(survivor_id):
        destroyed.append(survivor_id)
        try:
            return real(survivor_id)
        except ImportError:  # the key store lands with the envelope encryption
            return True

    monkeypatch.setattr(services, "_destroy_key", recording)
    return destroyed
