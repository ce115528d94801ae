import json
import logging
import os
import stat
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from crisis_ops.encryption import rotation
from crisis_ops.encryption.blind_index import blind_search
from crisis_ops.encryption.models import RotationCheckpoint
from tests.encryption.conftest import make_person
from tests.encryption_app.models import Person

pytestmark = pytest.mark.django_db

FIELDS = ("full_name", "iin", "phone", "birth_date", "address", "safe_contact")
ROWS = 10_000


class Interrupted(Exception):
    pass


def seed(rows: int) -> None:
    template = [make_person(n) for n in range(3)]
    batch = []
    for n in range(rows - len(template)):
        source = template[n % 3]
        batch.append(Person(**{f: getattr(source, f) for f in FIELDS}, region=f"r{n}"))
        if len(batch) == 2000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)


def plaintexts() -> dict[Any, Any]:
    return {p.pk: tuple(getattr(p, f) for f in FIELDS) for p in Person.objects.all()}


def rows_under_key(key_id: str) -> int:
    prefix = bytes((1, len(key_id))) + key_id.encode()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM encryption_app_person "
            "WHERE substring(address from 1 for %s) = %s",
            [len(prefix), prefix],
        )
        return int(cursor.fetchone()[0])


def test_rotation_of_ten_thousand_rows_survives_an_interruption(keyring_env, capsys):
    seed(ROWS)
    before = plaintexts()
    assert len(before) == ROWS
    keyring_env(active_data_key="t2", active_blind_index_key="b2")
    batches = []

    def stop_after_seven(label, done, total):
        batches.append(done)
        if len(batches) == 7:
            raise Interrupted

    with pytest.raises(Interrupted):
        rotation.rotate(batch_size=500, progress=stop_after_seven)

    checkpoint = RotationCheckpoint.objects.get(model_label="encryption_app.Person")
    assert checkpoint.rows_done == 3500
    assert rows_under_key("t2") == 3500
    assert rows_under_key("t1") == ROWS - 3500

    call_command("rotate_encryption_keys", batch_size=500)

    assert "Verified: 10000 rows" in capsys.readouterr().out
    assert rows_under_key("t2") == ROWS
    assert plaintexts() == before
    assert not RotationCheckpoint.objects.exists()
    assert rotation.verify().ok


def test_old_keys_can_be_retired_after_rotation(keyring_env):
    people = [make_person(n) for n in range(5)]
    keyring_env(active_data_key="t2", active_blind_index_key="b2")
    call_command("rotate_encryption_keys")

    base = json.loads(os.environ["CRISIS_OPS_KEYRING"])
    keyring_env(
        data_keys={"t2": base["data_keys"]["t2"]},
        active_data_key="t2",
        blind_index_keys={"b2": base["blind_index_keys"]["b2"]},
        active_blind_index_key="b2",
    )

    call_command("rotate_encryption_keys", verify_only=True)
    assert blind_search(Person.objects.all(), "phone_index", people[3].phone) == [people[3]]


def test_search_finds_rows_whose_index_is_not_rebuilt_yet(keyring_env):
    person = make_person(1, phone="+7 701 234 56 78")
    keyring_env(active_blind_index_key="b2")

    assert blind_search(Person.objects.all(), "phone_index", "87012345678") == [person]


def test_verify_only_reports_a_row_that_does_not_decrypt():
    victim, other = make_person(1), make_person(2)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE encryption_app_person SET address = "
            "(SELECT address FROM encryption_app_person WHERE id = %s) WHERE id = %s",
            [other.pk, victim.pk],
        )

    with pytest.raises(CommandError, match="1 undecryptable"):
        call_command("rotate_encryption_keys", verify_only=True)


def test_verify_only_reports_values_under_an_old_key(keyring_env):
    make_person(1)
    keyring_env(active_data_key="t2")

    with pytest.raises(CommandError, match="under an old key"):
        call_command("rotate_encryption_keys", verify_only=True)


def test_nothing_personal_reaches_the_logs(keyring_env, caplog, capsys):
    make_person(1, full_name="Гульмира Тестовая", phone="+7 705 111 22 33")
    keyring_env(active_data_key="t2", active_blind_index_key="b2")

    with caplog.at_level(logging.DEBUG):
        call_command("rotate_encryption_keys")
        blind_search(Person.objects.all(), "name_index", "Гульмира Тестовая")
        blind_search(Person.objects.all(), "phone_index", "87051112233")

    output = caplog.text + "".join(capsys.readouterr())
    for secret in ("Гульмира", "Тестовая", "7051112233", "705 111"):
        assert secret not in output


def test_generate_keyring_creates_and_extends_a_private_file(tmp_path):
    path = tmp_path / "keys" / "keyring.json"

    call_command("generate_keyring", file=str(path))
    first = json.loads(path.read_text())
    call_command("generate_keyring", file=str(path), add_data_key=True)
    second = json.loads(path.read_text())

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(second["data_keys"]) == 2
    assert second["active_data_key"] != first["active_data_key"]
    assert set(first["data_keys"]) < set(second["data_keys"])
    assert second["blind_index_keys"] == first["blind_index_keys"]
