"""Re-wrapping survivors' data keys, and moving values written with the keyring's key onto
her own key: both interrupted part-way, resumed, and every value still decrypts."""

from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from cases.models import Survivor
from crisis_ops.encryption import data_keys, rotation
from crisis_ops.encryption.cache import reset_key_cache
from crisis_ops.encryption.cipher import encrypt
from crisis_ops.encryption.field_base import encrypted_fields
from crisis_ops.encryption.models import RotationCheckpoint
from crisis_ops.keystore.models import WrappedDataKey
from tests.cases.factories import intake
from tests.factories import OrganisationFactory, region
from tests.protection_orders.factories import record_order

pytestmark = pytest.mark.django_db

SURVIVORS = 40


class Interrupted(Exception):
    pass


def stop_after(batches: int):
    seen = []

    def progress(label, done, total):
        seen.append(done)
        if len(seen) == batches:
            raise Interrupted

    return progress


def seed(personas) -> None:
    """A few full case files, and many survivors on their own."""
    for _ in range(3):
        case = intake(personas.caseworker, personas.center)
        record_order(personas.caseworker, case, conditions="Не приближаться")
    organisation = OrganisationFactory.create()
    Survivor.objects.bulk_create(
        [
            Survivor(
                organisation=organisation,
                code=f"R-{n:04d}",
                full_name=f"Гульнара Ахметова {n}",
                phone=f"+7 701 555 {n:02d} {n:02d}",
                address=f"Шымкент, мкр. Самал {n}",
                age_band="25-34",
                region=region(),
            )
            for n in range(SURVIVORS)
        ]
    )


def owned_rows():
    for model in rotation.owned_models():
        fields = encrypted_fields(model)
        for obj in model._base_manager.all():
            yield model, obj, fields


def plaintexts() -> dict[str, Any]:
    return {
        (model._meta.label, obj.pk, f.name): getattr(obj, f.name)
        for model, obj, fields in owned_rows()
        for f in fields
    }


def stored() -> dict[str, Any]:
    return {
        (model._meta.label, obj.pk, f.name): bytes(raw)
        for model, obj, fields in owned_rows()
        for f in fields
        if (raw := f.stored_ciphertext(obj)) is not None
    }


def to_keyring_key() -> int:
    """Write every survivor's value as it was before per-survivor keys (format 1)."""
    written = 0
    for model, obj, fields in owned_rows():
        changes = {}
        for f in fields:
            value = getattr(obj, f.name)
            if value is not None:
                changes[f.attname] = encrypt(f.to_bytes(value), f._binding(obj))
        model._base_manager.filter(pk=obj.pk).update(**changes)
        written += len(changes)
    return written


def envelope_values() -> tuple[int, int]:
    raws = stored().values()
    return sum(1 for r in raws if r[0] == 2), sum(1 for r in raws if r[0] == 1)


def test_rewrap_interrupted_and_resumed_touches_no_value(personas, keyring_env, capsys):
    seed(personas)
    before_values, before_bytes = plaintexts(), stored()
    keys = WrappedDataKey.objects.count()
    assert keys == SURVIVORS + 3
    keyring_env(active_data_key="t2")
    reset_key_cache()

    with pytest.raises(Interrupted):
        rotation.rewrap(batch_size=10, progress=stop_after(2))
    assert WrappedDataKey.objects.filter(wrapping_key_id="t2").count() == 20
    assert WrappedDataKey.objects.filter(wrapping_key_id="t1").count() == keys - 20
    reset_key_cache()
    assert plaintexts() == before_values  # half re-wrapped: everything reads

    call_command("rotate_encryption_keys", rewrap_only=True, batch_size=10)
    assert "Every data key is under the active key" in capsys.readouterr().out
    assert WrappedDataKey.objects.filter(wrapping_key_id="t2").count() == keys
    assert stored() == before_bytes  # cheap: not one value re-encrypted

    # The old keyring key can now go: her keys unwrap with the new one alone.
    keyring_env(
        data_keys={"t2": "dGVzdC1vbmx5LWRhdGEta2V5LW51bWJlci10d28tISE="}, active_data_key="t2"
    )
    reset_key_cache()
    assert plaintexts() == before_values


def test_full_rotation_rewraps_keys_and_reports_them_in_verification(personas, keyring_env, capsys):
    seed(personas)
    keyring_env(active_data_key="t2")
    report = rotation.verify()
    assert report.keys_to_rewrap == SURVIVORS + 3 and not report.ok

    call_command("rotate_encryption_keys")
    out = capsys.readouterr().out
    assert "0 data keys under an old keyring key" in out and "Verified" in out
    assert not WrappedDataKey.objects.exclude(wrapping_key_id="t2").exists()


def test_moving_old_values_to_her_key_interrupted_and_resumed(personas, capsys):
    seed(personas)
    before = plaintexts()
    legacy = to_keyring_key()
    assert envelope_values() == (0, legacy)

    with pytest.raises(Interrupted):
        rotation.move_to_survivor_keys(batch_size=10, progress=stop_after(3))
    moved, left = envelope_values()
    assert 0 < moved < legacy and moved + left == legacy
    assert RotationCheckpoint.objects.filter(model_label__startswith="envelope:").exists()
    reset_key_cache()
    assert plaintexts() == before  # half moved: everything reads

    call_command("migrate_to_survivor_keys", batch_size=10)
    out = capsys.readouterr().out
    assert "Verified:" in out and "0 not under their survivor's own key" in out
    assert envelope_values() == (legacy, 0)
    assert not RotationCheckpoint.objects.exists()
    reset_key_cache()
    assert plaintexts() == before
    # Every value is under its own survivor's key, not merely some envelope key.
    for model, obj, fields in owned_rows():
        path = "__".join(fields[0].owner_path)
        owner = model._base_manager.filter(pk=obj.pk).values_list(path, flat=True).get()
        header = data_keys.key_for_survivor(owner).header
        for f in fields:
            raw = f.stored_ciphertext(obj)
            assert raw is None or raw.startswith(header), (model, f.name)


def test_the_migration_verification_fails_on_a_value_left_behind(personas):
    seed(personas)
    to_keyring_key()
    with pytest.raises(Exception, match="Verification failed"):
        call_command("migrate_to_survivor_keys", verify_only=True)


def test_rotation_skips_the_rows_of_an_erased_survivor_awaiting_deletion(personas):
    seed(personas)
    erased = Survivor.objects.filter(code="R-0001").get()
    data_keys.destroy_survivor_key(survivor_id=erased.pk)
    rotation.move_to_survivor_keys(batch_size=10)
    report = rotation.verify(models=[apps.get_model("cases.Survivor")])
    # Only her values fail, and they are reported, never returned.
    assert report.undecryptable and all(str(erased.pk) in p for p in report.undecryptable)


def test_new_data_keys_interrupted_and_resumed_reencrypts_every_value(personas, capsys):
    seed(personas)
    before_values, before_bytes = plaintexts(), stored()
    old_keys = set(WrappedDataKey.objects.values_list("id", flat=True))

    with pytest.raises(Interrupted):
        rotation.rotate(batch_size=10, progress=stop_after(2), new_data_keys=True)
    assert WrappedDataKey.objects.filter(retired_at__isnull=False).count() == 20
    reset_key_cache()
    assert plaintexts() == before_values  # half renewed: old and new keys both read

    call_command("rotate_encryption_keys", new_data_keys=True, batch_size=10)
    out = capsys.readouterr().out
    assert "Verified:" in out and f"Renewal done: {len(old_keys)} old data keys deleted" in out
    new_keys = set(WrappedDataKey.objects.values_list("id", flat=True))
    assert len(new_keys) == len(old_keys) and not new_keys & old_keys
    after = stored()
    assert after.keys() == before_bytes.keys()
    assert all(after[k] != before_bytes[k] for k in after)  # every value re-encrypted
    reset_key_cache()
    assert plaintexts() == before_values
    assert not rotation.renewal_pending()
