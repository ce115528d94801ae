"""The promise: a main-database dump taken before a purge, restored beside the current key
store, cannot show the purged survivor; every other survivor in it still decrypts.

Real pg_dump / pg_restore into scratch databases, read by manage.py in a process of its own
(a cold key cache, as after a real restore).
"""

from __future__ import annotations

import json

import pytest
from django.db import connection

from crisis_ops.retention import purge
from crisis_ops.retention.backups import backup_create, pg_restore
from crisis_ops.retention.models import PurgeJob
from tests.cases.factories import intake
from tests.retention.factories import manage_against, scratch_databases

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "keystore"]
    ),
]

READ = """
import json
from cases.models import Survivor
from crisis_ops.encryption.errors import DecryptionError
out = {}
for survivor in Survivor.objects.filter(pk__in=%r):
    try:
        out[str(survivor.pk)] = survivor.full_name
    except DecryptionError as exc:
        out[str(survivor.pk)] = "DecryptionError"
print(json.dumps(out))
"""


def test_a_dump_from_before_the_purge_beside_todays_key_store_cannot_show_her(personas, tmp_path):
    cases = [intake(personas.caseworker, personas.center) for _ in range(3)]
    names = {str(c.survivor_id): c.survivor.full_name for c in cases}
    purged, *kept = cases
    before = backup_create(directory=tmp_path / "before")

    purge.purge_survivors(
        organisation_id=personas.center.pk,
        survivor_ids=[purged.survivor_id],
        kind=PurgeJob.Kind.ERASURE,
    )
    today = backup_create(directory=tmp_path / "today")

    base = connection.settings_dict["NAME"]
    main, keystore = f"{base}_old_main", f"{base}_new_keystore"
    with scratch_databases(main, keystore):
        pg_restore(alias="default", source=before.files["main"], database=main)
        pg_restore(alias="keystore", source=today.files["keystore"], database=keystore)
        read = manage_against("shell", "-c", READ % list(names), main=main, keystore=keystore)
        strict = manage_against("verify_decryption", main=main, keystore=keystore)
        expecting = manage_against(
            "verify_decryption", "--expect-purged", main=main, keystore=keystore
        )

    assert read.returncode == 0, read.stderr
    values = json.loads(read.stdout.strip().splitlines()[-1])
    # Her rows are all in the old dump, and none of them can be read.
    assert values[str(purged.survivor_id)] == "DecryptionError"
    assert {str(c.survivor_id): values[str(c.survivor_id)] for c in kept} == {
        str(c.survivor_id): names[str(c.survivor_id)] for c in kept
    }
    assert strict.returncode != 0 and "Decryption check failed" in strict.stderr
    assert expecting.returncode == 0, expecting.stderr
    assert "of 1 survivors whose data key is destroyed" in expecting.stdout


def test_the_same_dump_beside_its_own_key_store_still_shows_her(personas, tmp_path):
    """The control: it is the key store's backup that still holds her key, for 30 days."""
    case = intake(personas.caseworker, personas.center)
    before = backup_create(directory=tmp_path)
    purge.purge_survivors(
        organisation_id=personas.center.pk,
        survivor_ids=[case.survivor_id],
        kind=PurgeJob.Kind.ERASURE,
    )

    base = connection.settings_dict["NAME"]
    main, keystore = f"{base}_old_main", f"{base}_old_keystore"
    with scratch_databases(main, keystore):
        pg_restore(alias="default", source=before.files["main"], database=main)
        pg_restore(alias="keystore", source=before.files["keystore"], database=keystore)
        read = manage_against(
            "shell", "-c", READ % [str(case.survivor_id)], main=main, keystore=keystore
        )

    values = json.loads(read.stdout.strip().splitlines()[-1])
    assert values == {str(case.survivor_id): case.survivor.full_name}
