"""Re-encrypt every encrypted column under the active key, rebuild blind indexes
when their root changed, and verify every row.

Work goes in batches ordered by primary key; each batch and its checkpoint
commit together, so an interrupted run resumes after the last committed batch
and a value is never half-rotated.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from crisis_ops.encryption.blind_index import BlindIndexField, blind_index_fields
from crisis_ops.encryption.cipher import DecryptionError
from crisis_ops.encryption.fields import EncryptedField, encrypted_fields
from crisis_ops.encryption.keys import Keyring, get_keyring
from crisis_ops.encryption.models import KeyState, RotationCheckpoint

BLIND_INDEX_STATE = "blind_index"

# (model label, rows done in this model, rows in this model)
Progress = Callable[[str, int, int], None]


def encrypted_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if encrypted_fields(m)), key=lambda m: m._meta.label
    )


def _batches(
    model: type[models.Model], *, after: uuid.UUID | None, size: int
) -> Iterator[list[models.Model]]:
    columns = [f.attname for f in encrypted_fields(model)] + [
        f.attname for f in blind_index_fields(model)
    ]
    queryset = model._base_manager.order_by("pk").only("pk", *columns)
    while True:
        page = queryset.filter(pk__gt=after) if after else queryset
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        after = batch[-1].pk


def _changes(
    obj: models.Model,
    enc: list[EncryptedField],
    indexes: list[BlindIndexField],
    keyring: Keyring,
    rebuild_indexes: bool,
) -> dict[str, object]:
    changes: dict[str, object] = {}
    for f in enc:
        raw = f.stored_ciphertext(obj)
        if raw is not None and raw.key_id != keyring.active_data_key:
            changes[f.attname] = f.encrypt_value(obj, f.decrypt_value(obj, raw))
    if rebuild_indexes:
        for index in indexes:
            token = index.token_for(obj, keyring=keyring)
            if token != obj.__dict__.get(index.attname):
                changes[index.attname] = token
    return changes


def rotate(*, batch_size: int = 500, progress: Progress | None = None) -> int:
    """Rotate every encrypted model; returns the number of rows changed."""
    keyring = get_keyring()
    state = KeyState.objects.filter(name=BLIND_INDEX_STATE).first()
    rebuild_indexes = state is None or state.key_id != keyring.active_blind_index_key
    changed = 0
    for model in encrypted_models():
        changed += _rotate_model(model, keyring, rebuild_indexes, batch_size, progress)
    with transaction.atomic():
        KeyState.objects.update_or_create(
            name=BLIND_INDEX_STATE, defaults={"key_id": keyring.active_blind_index_key}
        )
        RotationCheckpoint.objects.all().delete()
    return changed


def _rotate_model(
    model: type[models.Model],
    keyring: Keyring,
    rebuild_indexes: bool,
    batch_size: int,
    progress: Progress | None,
) -> int:
    label = model._meta.label
    checkpoint, _ = RotationCheckpoint.objects.get_or_create(
        model_label=label,
        defaults={
            "data_key": keyring.active_data_key,
            "blind_index_key": keyring.active_blind_index_key,
        },
    )
    if (checkpoint.data_key, checkpoint.blind_index_key) != (
        keyring.active_data_key,
        keyring.active_blind_index_key,
    ):
        # The active keys changed since that run stopped: start this model again.
        checkpoint.data_key = keyring.active_data_key
        checkpoint.blind_index_key = keyring.active_blind_index_key
        checkpoint.last_pk = None
        checkpoint.rows_done = 0
        checkpoint.save()
    enc, indexes = encrypted_fields(model), blind_index_fields(model)
    total = model._base_manager.count()
    changed = 0
    for batch in _batches(model, after=checkpoint.last_pk, size=batch_size):
        with transaction.atomic():
            for obj in batch:
                changes = _changes(obj, enc, indexes, keyring, rebuild_indexes)
                if changes:
                    model._base_manager.filter(pk=obj.pk).update(**changes)
                    changed += 1
            checkpoint.last_pk = batch[-1].pk
            checkpoint.rows_done += len(batch)
            checkpoint.save(update_fields=["last_pk", "rows_done", "updated_at"])
        if progress:
            progress(label, checkpoint.rows_done, total)
    return changed


@dataclass
class VerifyReport:
    rows: int = 0
    values: int = 0
    undecryptable: list[str] = field(default_factory=list)
    stale_key: int = 0
    index_mismatch: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.undecryptable or self.stale_key or self.index_mismatch)


def verify(*, batch_size: int = 1000, progress: Progress | None = None) -> VerifyReport:
    """Decrypt every value, and recompute every blind index, of every encrypted model."""
    keyring = get_keyring()
    report = VerifyReport()
    for model in encrypted_models():
        enc, indexes = encrypted_fields(model), blind_index_fields(model)
        total, done = model._base_manager.count(), 0
        for batch in _batches(model, after=None, size=batch_size):
            for obj in batch:
                _verify_row(obj, enc, indexes, keyring, report)
            done += len(batch)
            if progress:
                progress(model._meta.label, done, total)
    return report


def _verify_row(
    obj: models.Model,
    enc: list[EncryptedField],
    indexes: list[BlindIndexField],
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
        except DecryptionError as exc:
            report.undecryptable.append(str(exc))
            readable = False
            continue
        if raw.key_id != keyring.active_data_key:
            report.stale_key += 1
    if readable:
        for index in indexes:
            if index.token_for(obj, keyring=keyring) != obj.__dict__.get(index.attname):
                report.index_mismatch.append(f"{index.index_name} row {obj.pk}")
