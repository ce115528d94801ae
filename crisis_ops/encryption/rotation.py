"""Re-wrap survivors' data keys, re-encrypt every encrypted column under its current
key, rebuild blind indexes when their root changed, and verify every row.

A value's current key is its survivor's active data key when a survivor owns the model
(``data_key_owner``), else the keyring's active data key. So the same pass that rotates
also moves values written before per-survivor keys onto them (``migrate_to_survivor_keys``
runs it for the owned models alone).

Re-wrapping is cheap: each survivor's data key is unwrapped and wrapped again under the
keyring's new active key, and no value is touched. Re-encrypting reads and rewrites
every value that is not under its current key.

Work goes in batches ordered by primary key; each batch and its checkpoint
commit together, so an interrupted run resumes after the last committed batch
and a value is never half-rotated.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from crisis_ops.encryption import data_keys, key_rotation
from crisis_ops.encryption.blind_index import AnyBlindIndex, blind_index_fields
from crisis_ops.encryption.cipher import Ciphertext, EncryptionError
from crisis_ops.encryption.field_base import OWNER_ANNOTATION, EncryptedField, encrypted_fields
from crisis_ops.encryption.keys import Keyring, get_keyring
from crisis_ops.encryption.models import KeyState, RotationCheckpoint

BLIND_INDEX_STATE = "blind_index"

# (model label, rows done in this model, rows in this model)
Progress = Callable[[str, int, int], None]


def encrypted_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if encrypted_fields(m)), key=lambda m: m._meta.label
    )


def owned_models() -> list[type[models.Model]]:
    """The encrypted models whose values belong to a survivor (sealed with her key)."""
    return [m for m in encrypted_models() if encrypted_fields(m)[0].owner_path]


def _batches(
    model: type[models.Model], *, after: uuid.UUID | None, size: int
) -> Iterator[list[models.Model]]:
    enc = encrypted_fields(model)
    columns = [f.attname for f in enc] + [f.attname for f in blind_index_fields(model)]
    queryset = model._base_manager.order_by("pk").only("pk", *columns)
    if enc[0].owner_path:
        # Her id in the same query, so finding each row's key costs no query per row.
        queryset = queryset.annotate(**{OWNER_ANNOTATION: F("__".join(enc[0].owner_path))})
    while True:
        page = queryset.filter(pk__gt=after) if after else queryset
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        after = batch[-1].pk


def is_current(f: EncryptedField, obj: models.Model, raw: Ciphertext, keyring: Keyring) -> bool:
    """Whether the value is under the key it would be sealed with now."""
    if f.owner_path:
        if not raw.is_envelope:
            return False
        header = data_keys.key_for_survivor(f.owner_of(obj)).header
        return raw[: len(header)] == header
    return not raw.is_envelope and raw.key_id == keyring.active_data_key


def _changes(
    obj: models.Model,
    enc: list[EncryptedField],
    indexes: list[AnyBlindIndex],
    keyring: Keyring,
    rebuild_indexes: bool,
) -> dict[str, object]:
    changes: dict[str, object] = {}
    for f in enc:
        raw = f.stored_ciphertext(obj)
        if raw is not None and not is_current(f, obj, raw, keyring):
            changes[f.attname] = f.encrypt_value(obj, f.decrypt_value(obj, raw))
    if rebuild_indexes:
        for index in indexes:
            token = index.token_for(obj, keyring=keyring)
            if token != obj.__dict__.get(index.attname):
                changes[index.attname] = token
    return changes


def rewrap(*, batch_size: int = 500, progress: Progress | None = None) -> int:
    """Re-wrap every survivor's data key under the keyring's active key (no value is
    re-encrypted); resumable. Returns the number of keys re-wrapped."""
    return key_rotation.rewrap_keys(batch_size=batch_size, progress=progress)


RENEW_STATE = "renew_data_keys"


def rotate(
    *,
    batch_size: int = 500,
    progress: Progress | None = None,
    rewrap_keys: bool = True,
    new_data_keys: bool = False,
) -> int:
    """Re-wrap the data keys (or, with ``new_data_keys``, give every survivor a fresh one),
    then rotate every encrypted model; returns the rows changed. After new data keys,
    ``finish_renewal`` deletes the old ones once verification is clean."""
    keyring = get_keyring()
    if new_data_keys:
        key_rotation.renew_keys(
            made_before=_renewal_start(), batch_size=batch_size, progress=progress
        )
    if rewrap_keys:
        rewrap(batch_size=batch_size, progress=progress)
    state = KeyState.objects.filter(name=BLIND_INDEX_STATE).first()
    rebuild_indexes = state is None or state.key_id != keyring.active_blind_index_key
    changed = 0
    for model in encrypted_models():
        changed += _rotate_model(model, keyring, rebuild_indexes, batch_size, progress)
    with transaction.atomic():
        KeyState.objects.update_or_create(
            name=BLIND_INDEX_STATE, defaults={"key_id": keyring.active_blind_index_key}
        )
        RotationCheckpoint.objects.exclude(model_label__startswith=ENVELOPE_PREFIX).delete()
    return changed


def _renewal_start() -> datetime.datetime:
    """When this renewal began (kept until it finishes, so a resumed run goes on with it).
    A new renewal also restarts the value pass: rows it had passed are under old keys."""
    state = KeyState.objects.filter(name=RENEW_STATE).first()
    if state is None:
        state = KeyState.objects.create(
            name=RENEW_STATE, key_id=f"{timezone.now().timestamp():.6f}"
        )
        RotationCheckpoint.objects.exclude(model_label__startswith=ENVELOPE_PREFIX).delete()
    return datetime.datetime.fromtimestamp(float(state.key_id), tz=datetime.UTC)


def renewal_pending() -> bool:
    return KeyState.objects.filter(name=RENEW_STATE).exists()


def finish_renewal() -> int:
    """After a clean verification: delete the retired data keys; returns how many."""
    deleted = key_rotation.delete_retired_keys()
    KeyState.objects.filter(name=RENEW_STATE).delete()
    return deleted


ENVELOPE_PREFIX = "envelope:"
# The checkpoint's key fields for the move to per-survivor keys: it does not depend on
# which keyring key is active.
_ENVELOPE_RUN = "envelope"


def move_to_survivor_keys(*, batch_size: int = 500, progress: Progress | None = None) -> int:
    """Re-encrypt every value of the survivor-owned models that is not yet under its
    survivor's own data key (values written with a keyring key before per-survivor keys);
    resumable. Returns the number of rows changed."""
    keyring = get_keyring()
    changed = 0
    for model in owned_models():
        changed += _rotate_model(model, keyring, False, batch_size, progress, ENVELOPE_PREFIX)
    RotationCheckpoint.objects.filter(model_label__startswith=ENVELOPE_PREFIX).delete()
    return changed


def _rotate_model(
    model: type[models.Model],
    keyring: Keyring,
    rebuild_indexes: bool,
    batch_size: int,
    progress: Progress | None,
    prefix: str = "",
) -> int:
    label = model._meta.label
    run = (
        (_ENVELOPE_RUN, _ENVELOPE_RUN)
        if prefix == ENVELOPE_PREFIX
        else (keyring.active_data_key, keyring.active_blind_index_key)
    )
    checkpoint, _ = RotationCheckpoint.objects.get_or_create(
        model_label=prefix + label,
        defaults={"data_key": run[0], "blind_index_key": run[1]},
    )
    if (checkpoint.data_key, checkpoint.blind_index_key) != run:
        # The active keys changed since that run stopped: start this model again.
        checkpoint.data_key, checkpoint.blind_index_key = run
        checkpoint.last_pk = None
        checkpoint.rows_done = 0
        checkpoint.save()
    enc, indexes = encrypted_fields(model), blind_index_fields(model)
    total = model._base_manager.count()
    changed = 0
    owned = bool(enc[0].owner_path)
    for batch in _batches(model, after=checkpoint.last_pk, size=batch_size):
        if owned:
            # Every survivor of the batch: keys fetched (or made) in one go, not row by row.
            data_keys.ensure_survivor_keys({obj.__dict__[OWNER_ANNOTATION] for obj in batch})
        with transaction.atomic():
            for obj in batch:
                try:
                    changes = _changes(obj, enc, indexes, keyring, rebuild_indexes)
                except EncryptionError:
                    if _erased(enc[0], obj):
                        continue  # her key was destroyed: the rows await their deletion
                    raise
                if changes:
                    model._base_manager.filter(pk=obj.pk).update(**changes)
                    changed += 1
            checkpoint.last_pk = batch[-1].pk
            checkpoint.rows_done += len(batch)
            checkpoint.save(update_fields=["last_pk", "rows_done", "updated_at"])
        if progress:
            progress(label, checkpoint.rows_done, total)
    return changed


def _erased(f: EncryptedField, obj: models.Model) -> bool:
    return bool(f.owner_path) and data_keys.survivor_key_destroyed(survivor_id=f.owner_of(obj))


@dataclass
class VerifyReport:
    rows: int = 0
    values: int = 0
    undecryptable: list[str] = field(default_factory=list)
    stale_key: int = 0
    index_mismatch: list[str] = field(default_factory=list)
    # Survivors' data keys still wrapped by a keyring key that is not the active one.
    keys_to_rewrap: int = 0

    @property
    def ok(self) -> bool:
        return not (
            self.undecryptable or self.stale_key or self.index_mismatch or self.keys_to_rewrap
        )


def verify(
    *,
    batch_size: int = 1000,
    progress: Progress | None = None,
    models: list[type[models.Model]] | None = None,
) -> VerifyReport:
    """Decrypt every value, and recompute every blind index, of every encrypted model
    (or of ``models``); count values not under their current key and data keys not
    wrapped by the active keyring key."""
    keyring = get_keyring()
    report = VerifyReport(keys_to_rewrap=key_rotation.keys_not_under_active_wrapping_key())
    for model in models if models is not None else encrypted_models():
        enc, indexes = encrypted_fields(model), blind_index_fields(model)
        total, done = model._base_manager.count(), 0
        for batch in _batches(model, after=None, size=batch_size):
            if enc[0].owner_path:
                owners = {obj.__dict__[OWNER_ANNOTATION] for obj in batch}
                data_keys.ensure_survivor_keys(owners, create=False)
            for obj in batch:
                _verify_row(obj, enc, indexes, keyring, report)
            done += len(batch)
            if progress:
                progress(model._meta.label, done, total)
    return report


def _verify_row(
    obj: models.Model,
    enc: list[EncryptedField],
    indexes: list[AnyBlindIndex],
    keyring: Keyring,
    report: VerifyReport,
) -> None:
    report.rows += 1
    readable = True
    for f in enc:
        raw = f.stored_ciphertext(obj)
        if raw is None:
            continue
        report.values += 1
        try:
            f.decrypt_value(obj, raw)
        except EncryptionError as exc:
            report.undecryptable.append(str(exc))
            readable = False
            continue
        try:
            current = is_current(f, obj, raw, keyring)
        except EncryptionError:
            current = False  # her key cannot be made (erased): not under its current key
        if not current:
            report.stale_key += 1
    if readable:
        for index in indexes:
            if index.token_for(obj, keyring=keyring) != obj.__dict__.get(index.attname):
                report.index_mismatch.append(f"{index.index_name} row {obj.pk}")
