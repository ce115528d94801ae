import datetime
import json
import os

import pytest

from crisis_ops.encryption.keys import reset_keyring
from crisis_ops.encryption.normalise import build_iin
from tests.encryption_app.models import Person


@pytest.fixture
def keyring_env(monkeypatch):
    """Change the keyring for one test: keyring_env(active_data_key="t2", ...)."""
    base = json.loads(os.environ["CRISIS_OPS_KEYRING"])

    def switch(**changes):
        monkeypatch.setenv("CRISIS_OPS_KEYRING", json.dumps({**base, **changes}))
        reset_keyring()

    yield switch
    monkeypatch.undo()
    reset_keyring()


def make_person(n: int = 0, **overrides) -> Person:
    values = {
        "full_name": f"Айгерим Сейтқали {n}",
        "iin": build_iin(
            datetime.date(1990, 1, 1) + datetime.timedelta(days=n), female=True, serial=n
        ),
        "phone": f"+7 701 {n % 1000:03d} {n // 1000 % 100:02d} 00",
        "birth_date": datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
        "address": f"Алматы, ул. Абая {n}, кв. {n % 90} 🏠",
        "safe_contact": {"call": "после 18:00", "code_word": f"бабушка-{n}"},
    }
    values.update(overrides)
    return Person.objects.create(**values)
