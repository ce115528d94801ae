"""Backups with real pg_dump and pg_restore: the manifest, key-store ageing, the restore drill."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from crisis_ops.audit.services import audit_record
from crisis_ops.retention.backups import BackupError, backup_create, manifest_check
from tests.cases.factories import intake
from tests.retention.factories import manage_against, scratch_databases

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _names() -> tuple[str, str]:
    base = connection.settings_dict["NAME"]
    return f"{base}_drill", f"{base}_drill_keystore"


def test_the_manifest_names_every_dump_with_its_checksum_and_the_keyring(personas, tmp_path):
    intake(personas.caseworker, personas.center)

    backup = backup_create(directory=tmp_path)

    document = json.loads(backup.manifest.read_text())
    roles = [entry["role"] for entry in document["files"]]
    assert roles[0] == "main" and set(roles) == {
        "main",
        *(["keystore"] if "keystore" in settings.DATABASES else []),
    }
    assert document["restore_order"][-1] == "main"
    assert document["keyring"]["active"] == "data=t1 blind_index=b1"
    assert set(document["keyring"]["data_keys"]) == {"t1", "t2"}
    assert "dGVzdC1" not in backup.manifest.read_text()  # no key material
    assert manifest_check(backup.manifest).keys() == set(roles)


def test_a_damaged_dump_is_refused_before_anything_is_restored(personas, tmp_path):
    backup = backup_create(directory=tmp_path)
    dump = backup.files["main"]
    dump.write_bytes(dump.read_bytes()[:-10])

    with pytest.raises(BackupError, match="does not match its checksum"):
        manifest_check(backup.manifest)


def test_key_store_dumps_age_out_and_main_dumps_stay(personas, tmp_path, settings):
    settings.KEYSTORE_BACKUP_DAYS = 30
    old = backup_create(directory=tmp_path, now=timezone.now() - datetime.timedelta(days=31))
    recent = backup_create(directory=tmp_path, now=timezone.now() - datetime.timedelta(days=29))
    backup_create(directory=tmp_path)

    assert old.files["main"].exists() and recent.files["main"].exists()
    if "keystore" in old.files:
        assert not old.files["keystore"].exists()
        assert recent.files["keystore"].exists()
        with pytest.raises(BackupError, match="is missing"):
            manifest_check(old.manifest)


def test_restore_drill_dump_drop_restore_verify(personas, tmp_path):
    for _ in range(3):
        intake(personas.caseworker, personas.center)
    audit_record(action="auth.login", actor=personas.caseworker)
    backup = backup_create(directory=tmp_path)
    main, keystore = _names()

    with scratch_databases(main, keystore):
        # The databases are gone (fresh, empty ones in their place): restore, in order.
        restored = manage_against(
            "restore", str(backup.manifest), "--yes", main=main, keystore=keystore
        )
        assert restored.returncode == 0, restored.stderr
        audit = manage_against("verify_audit_log", main=main, keystore=keystore)
        decrypts = manage_against("verify_decryption", main=main, keystore=keystore)

    assert audit.returncode == 0 and "Audit log intact" in audit.stdout, audit.stderr
    assert decrypts.returncode == 0, decrypts.stderr
    assert "Every value decrypts" in decrypts.stdout


def test_restore_refuses_without_yes(personas, tmp_path):
    backup = backup_create(directory=tmp_path)
    main, keystore = _names()
    result = manage_against("restore", str(backup.manifest), main=main, keystore=keystore)
    assert result.returncode != 0 and "add --yes" in result.stderr
