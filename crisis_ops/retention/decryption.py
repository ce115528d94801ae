"""Decrypt every encrypted value of every row: the check after a restore.

A value that does not decrypt is either a survivor's whose data key was destroyed (she was
purged: unreadable, as promised) or a fault (a wrong keyring, a key store from another
backup, a damaged value). The report tells them apart by asking the key store whether her
key still exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from crisis_ops.encryption.cipher import DecryptionError
from crisis_ops.encryption.field_base import encrypted_fields
from crisis_ops.encryption.rotation import encrypted_models

Progress = Callable[[str, int, int], None]


@dataclass
class DecryptionReport:
    rows: int = 0
    values: int = 0
    # "app.model pk field" of every value that did not decrypt, and no destroyed key explains
    faults: list[str] = field(default_factory=list)
    # survivor id -> unreadable values, for survivors whose data key is gone
    purged: dict[uuid.UUID, int] = field(default_factory=dict)

    @property
    def unreadable(self) -> int:
        return len(self.faults) + sum(self.purged.values())


def _owner(f: object, obj: object) -> uuid.UUID | None:
    owner_of = getattr(f, "owner_of", None)
    if owner_of is None:
        return None
    try:
        owner: uuid.UUID | None = owner_of(obj)
        return owner
    except Exception:  # a row whose survivor row is gone: no owner to ask about
        return None


def _key_exists(survivor_id: uuid.UUID) -> bool:
    from crisis_ops.encryption.data_keys import survivor_key_exists

    return survivor_key_exists(survivor_id=survivor_id)


def decryption_check(
    *, batch_size: int = 1000, progress: Progress | None = None
) -> DecryptionReport:
    report = DecryptionReport()
    known: dict[uuid.UUID, bool] = {}
    for model in encrypted_models():
        fields = encrypted_fields(model)
        total, done, after = model._base_manager.count(), 0, None
        queryset = model._base_manager.order_by("pk")
        while True:
            batch = list((queryset.filter(pk__gt=after) if after else queryset)[:batch_size])
            if not batch:
                break
            for obj in batch:
                report.rows += 1
                for f in fields:
                    raw = f.stored_ciphertext(obj)
                    if raw is None:
                        continue
                    report.values += 1
                    try:
                        f.decrypt_value(obj, raw)
                    except DecryptionError:
                        owner = _owner(f, obj)
                        if owner is not None:
                            if owner not in known:
                                known[owner] = _key_exists(owner)
                            if not known[owner]:
                                report.purged[owner] = report.purged.get(owner, 0) + 1
                                continue
                        report.faults.append(f"{model._meta.label_lower} {obj.pk} {f.name}")
            done += len(batch)
            after = batch[-1].pk
            if progress:
                progress(model._meta.label, done, total)
    return report
