"""A data key per survivor: made on first use, stored only wrapped, cached briefly.

Key hierarchy::

    keyring data key (environment / secret file)       -- wraps -->
    survivor's data key (key store database, wrapped)  -- seals -->
    her values (main database, format version 2)

Every encrypted value that belongs to a survivor is sealed with her own random
256-bit key. The key is stored only wrapped (AES-256-GCM) by the keyring's active
data key, in the key store: a separate database (the ``keystore`` alias,
``crisis_ops.keystore``), backed up and retained apart from the case data.
Destroying her key makes every copy of her values unreadable, backups included, once
the key store's own backups older than the destruction have aged out.

A ciphertext carries the id of the key that sealed it (``version 2 | key id``), so
decryption needs no query beyond the key store's, and that one only when the key is
not in this process's cache.

**Cross-database atomicity.** A survivor's key is created in the key store *before*
any value sealed with it can be written: ``key_for_survivor`` commits the key row at
once (the key store connection is in autocommit, apart from the main transaction)
and then the value is written in the main transaction. If that transaction rolls
back, the key stays behind unused: garbage, harmless (a random key for an id nobody
holds). The opposite order could leave values under a key that never existed. Never
wrap key creation in ``transaction.atomic(using="keystore")``: that would defer the
commit past the main one.

**Cache.** Unwrapped keys live in process memory in a small LRU with a time limit
(``crisis_ops.encryption.cache``: ``ENCRYPTION_KEY_CACHE_SIZE`` keys,
``ENCRYPTION_KEY_CACHE_SECONDS`` each, from the time it was unwrapped).
``destroy_survivor_key`` evicts her keys in the process that calls it; every other process
stops being able to read her values at the latest when its cached copy expires, i.e.
within ``ENCRYPTION_KEY_CACHE_SECONDS`` of the destruction.

Re-wrapping and renewing the keys (rotation) is ``crisis_ops.encryption.key_rotation``.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import IntegrityError, connections, transaction

from crisis_ops.encryption import keys
from crisis_ops.encryption.cache import key_cache
from crisis_ops.encryption.errors import DecryptionError, EncryptionError
from crisis_ops.encryption.keys import KEY_BYTES, Keyring, get_keyring

ENVELOPE_VERSION = 2
KEY_ID_BYTES = 16
ENVELOPE_HEADER_BYTES = 1 + KEY_ID_BYTES
KEYSTORE_DB = "keystore"
_WRAP_NONCE_BYTES = 12
_WRAP_CONTEXT = b"crisis-ops survivor data key\x1f"

# (label, done, total), as the rotation's progress callbacks.
Progress = Callable[[str, int, int], None]


class DataKey(NamedTuple):
    """An unwrapped data key, ready to use."""

    key_id: uuid.UUID
    survivor_id: uuid.UUID
    header: bytes
    cipher: AESGCM


def header_for(key_id: uuid.UUID) -> bytes:
    return bytes((ENVELOPE_VERSION,)) + key_id.bytes


# --- wrapping --------------------------------------------------------------------------------


def _wrap_aad(key_id: uuid.UUID, survivor_id: uuid.UUID, wrapping_key_id: str) -> bytes:
    return _WRAP_CONTEXT + key_id.bytes + survivor_id.bytes + wrapping_key_id.encode()


def wrap(raw: bytes, *, key_id: uuid.UUID, survivor_id: uuid.UUID, keyring: Keyring) -> bytes:
    """``raw`` sealed by the keyring's active data key, bound to its key and survivor ids."""
    active = keyring.active_data_key
    nonce = os.urandom(_WRAP_NONCE_BYTES)
    sealed = AESGCM(keyring.data_keys[active]).encrypt(
        nonce, raw, _wrap_aad(key_id, survivor_id, active)
    )
    return nonce + sealed


def unwrap(
    wrapped: bytes,
    *,
    key_id: uuid.UUID,
    survivor_id: uuid.UUID,
    wrapping_key_id: str,
    keyring: Keyring,
) -> bytes:
    wrapping_key = keyring.data_keys.get(wrapping_key_id)
    if wrapping_key is None:
        raise DecryptionError(
            f"data key {key_id} is wrapped by keyring key {wrapping_key_id!r}, "
            "which is not in the keyring"
        )
    try:
        raw = AESGCM(wrapping_key).decrypt(
            wrapped[:_WRAP_NONCE_BYTES],
            wrapped[_WRAP_NONCE_BYTES:],
            _wrap_aad(key_id, survivor_id, wrapping_key_id),
        )
    except InvalidTag:
        raise DecryptionError(
            f"data key {key_id} does not unwrap (altered key store row)"
        ) from None
    if len(raw) != KEY_BYTES:
        raise DecryptionError(f"data key {key_id} has the wrong length")
    return raw


def _loaded(key_id: uuid.UUID, survivor_id: uuid.UUID, raw: bytes) -> DataKey:
    return DataKey(key_id, survivor_id, header_for(key_id), AESGCM(raw))


def _remember(key: DataKey, *, active: bool) -> DataKey:
    cache = key_cache()
    cache.put(key.header, key)
    if active:
        cache.put(("survivor", key.survivor_id), key)
    return key


# --- using keys ------------------------------------------------------------------------------


def as_survivor_id(value: object) -> uuid.UUID:
    """A survivor's id (her primary key, a UUID) from a UUID or its string."""
    if value.__class__ is uuid.UUID:
        return value  # type: ignore[return-value]
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise EncryptionError(f"a survivor id is a UUID, not {type(value).__name__}")


def key_by_header(header: bytes, keyring: Keyring | None = None) -> DataKey:
    """The data key a version-2 ciphertext names, from the cache or the key store."""
    key: DataKey | None = key_cache().get(header)
    if key is not None:
        return key
    if len(header) != ENVELOPE_HEADER_BYTES:
        raise DecryptionError("truncated data key id")
    from crisis_ops.keystore.models import WrappedDataKey

    key_id = uuid.UUID(bytes=header[1:])
    row = (
        WrappedDataKey.objects.filter(id=key_id)
        .values_list("survivor_id", "wrapping_key_id", "wrapped", "retired_at")
        .first()
    )
    if row is None:
        raise DecryptionError(
            f"data key {key_id} is not in the key store (destroyed, or another key store)"
        )
    survivor_id, wrapping_key_id, wrapped, retired_at = row
    raw = unwrap(
        bytes(wrapped),
        key_id=key_id,
        survivor_id=survivor_id,
        wrapping_key_id=wrapping_key_id,
        keyring=keyring or keys._loaded or get_keyring(),
    )
    return _remember(_loaded(key_id, survivor_id, raw), active=retired_at is None)


def preload(headers: set[bytes]) -> None:
    """Unwrap, in one key-store query, the keys of these headers not yet cached.

    Pages that list many survivors call it so a cold cache costs one query, not one per row.
    """
    cache = key_cache()
    missing = {
        uuid.UUID(bytes=h[1:])
        for h in headers
        if len(h) == ENVELOPE_HEADER_BYTES and cache.get(h) is None
    }
    if not missing:
        return
    from crisis_ops.keystore.models import WrappedDataKey

    keyring = keys._loaded or get_keyring()
    rows = WrappedDataKey.objects.filter(id__in=missing).values_list(
        "id", "survivor_id", "wrapping_key_id", "wrapped", "retired_at"
    )
    for key_id, survivor_id, wrapping_key_id, wrapped, retired_at in rows:
        try:
            raw = unwrap(
                bytes(wrapped),
                key_id=key_id,
                survivor_id=survivor_id,
                wrapping_key_id=wrapping_key_id,
                keyring=keyring,
            )
        except DecryptionError:
            continue  # the value's own decryption reports it, naming the row
        _remember(_loaded(key_id, survivor_id, raw), active=retired_at is None)


def key_for_survivor(survivor_id: object) -> DataKey:
    """Her active data key; made and committed to the key store first if she has none."""
    survivor = as_survivor_id(survivor_id)
    cache = key_cache()
    key: DataKey | None = cache.get(("survivor", survivor))
    if key is not None:
        cache.get(key.header)  # keep both entries equally recent, so they leave together
        return key
    from crisis_ops.keystore.models import WrappedDataKey

    keyring = keys._loaded or get_keyring()
    for _attempt in range(3):
        row = (
            WrappedDataKey.objects.filter(survivor_id=survivor, retired_at__isnull=True)
            .values_list("id", "wrapping_key_id", "wrapped")
            .first()
        )
        if row is not None:
            key_id, wrapping_key_id, wrapped = row
            raw = unwrap(
                bytes(wrapped),
                key_id=key_id,
                survivor_id=survivor,
                wrapping_key_id=wrapping_key_id,
                keyring=keyring,
            )
            return _remember(_loaded(key_id, survivor, raw), active=True)
        try:
            return _remember(_create_key(survivor, keyring), active=True)
        except IntegrityError:
            continue  # another process made hers at the same moment: read that one
    raise EncryptionError(f"could not make or read the data key of survivor {survivor}")


def ensure_survivor_keys(survivor_ids: set[Any], *, create: bool = True) -> None:
    """Make sure each of these survivors has an active key, unwrapped in the cache: one
    key-store query for those that have one, one transaction for those that do not.

    For work over many survivors at once (the move to per-survivor keys, verification,
    seeding); ``create=False`` only loads. An erased survivor gets nothing (sealing a
    value for her then fails, as it should).
    """
    from crisis_ops.keystore.models import DestroyedKey, WrappedDataKey

    cache = key_cache()
    wanted = {as_survivor_id(s) for s in survivor_ids}
    wanted = {s for s in wanted if cache.get(("survivor", s)) is None}
    if not wanted:
        return
    keyring = keys._loaded or get_keyring()

    def load() -> set[uuid.UUID]:
        rows = WrappedDataKey.objects.filter(
            survivor_id__in=wanted, retired_at__isnull=True
        ).values_list("id", "survivor_id", "wrapping_key_id", "wrapped")
        found = set()
        for key_id, survivor, wrapping_key_id, wrapped in rows:
            raw = unwrap(
                bytes(wrapped),
                key_id=key_id,
                survivor_id=survivor,
                wrapping_key_id=wrapping_key_id,
                keyring=keyring,
            )
            _remember(_loaded(key_id, survivor, raw), active=True)
            found.add(survivor)
        return found

    missing = sorted(wanted - load())
    if not missing or not create:
        return
    with transaction.atomic(using=KEYSTORE_DB):
        lock_survivors(missing)
        erased = set(
            DestroyedKey.objects.filter(survivor_id__in=missing).values_list(
                "survivor_id", flat=True
            )
        )
        made = []
        for survivor in missing:
            if survivor in erased:
                continue
            key_id = uuid.uuid4()
            raw = secrets.token_bytes(KEY_BYTES)
            made.append(
                WrappedDataKey(
                    id=key_id,
                    survivor_id=survivor,
                    wrapping_key_id=keyring.active_data_key,
                    wrapped=wrap(raw, key_id=key_id, survivor_id=survivor, keyring=keyring),
                )
            )
        # Another process may have made some meanwhile: theirs stay, ours are dropped.
        WrappedDataKey.objects.bulk_create(made, batch_size=1000, ignore_conflicts=True)
    load()


def _lock_survivor(survivor: uuid.UUID) -> None:
    lock_survivors([survivor])


def lock_survivors(survivors: list[uuid.UUID]) -> None:
    """Serialise key creation and destruction per survivor, until the key store's
    transaction ends (PostgreSQL; SQLite serialises every write anyway). One query; the
    locks are taken in a fixed order so two batches never deadlock."""
    connection = connections[KEYSTORE_DB]
    if connection.vendor == "postgresql":
        lock_ids = sorted({int.from_bytes(s.bytes[:8], "big", signed=True) for s in survivors})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [lock_ids]
            )


def _create_key(survivor: uuid.UUID, keyring: Keyring, *, retire: bool = False) -> DataKey:
    from crisis_ops.keystore.models import DestroyedKey, WrappedDataKey

    key_id = uuid.uuid4()
    raw = secrets.token_bytes(KEY_BYTES)
    with transaction.atomic(using=KEYSTORE_DB):
        _lock_survivor(survivor)
        if DestroyedKey.objects.filter(survivor_id=survivor).exists():
            raise EncryptionError(
                f"survivor {survivor} was erased (her data key was destroyed); "
                "nothing more can be encrypted for her"
            )
        if retire:
            from django.utils import timezone

            WrappedDataKey.objects.filter(survivor_id=survivor, retired_at__isnull=True).update(
                retired_at=timezone.now()
            )
        WrappedDataKey.objects.create(
            id=key_id,
            survivor_id=survivor,
            wrapping_key_id=keyring.active_data_key,
            wrapped=wrap(raw, key_id=key_id, survivor_id=survivor, keyring=keyring),
        )
    return _loaded(key_id, survivor, raw)


def replace_survivor_key(*, survivor_id: object) -> DataKey:
    """Give her a fresh active key; the old one is retired (still readable) until rotation
    has re-encrypted her values and ``delete_retired_keys`` removes it."""
    survivor = as_survivor_id(survivor_id)
    key = _create_key(survivor, keys._loaded or get_keyring(), retire=True)
    cache = key_cache()
    cache.discard_where(lambda k: k.survivor_id == survivor)
    return _remember(key, active=True)


# --- the public API for retention and erasure -----------------------------------------------


def destroy_survivor_key(*, survivor_id: object) -> bool:
    """Destroy every data key of this survivor; True if there was one to destroy.

    Her values become unreadable everywhere: this database, its replicas and every backup
    of it, once the key store's backups older than now have expired. A tombstone stays so
    no new key is ever made for her id. Evicts her keys from this process's cache; other
    processes lose theirs within ``ENCRYPTION_KEY_CACHE_SECONDS``. Idempotent.
    """
    from crisis_ops.keystore.models import DestroyedKey, WrappedDataKey

    survivor = as_survivor_id(survivor_id)
    with transaction.atomic(using=KEYSTORE_DB):
        _lock_survivor(survivor)
        DestroyedKey.objects.get_or_create(survivor_id=survivor)
        deleted, _ = WrappedDataKey.objects.filter(survivor_id=survivor).delete()
    key_cache().discard_where(lambda k: k.survivor_id == survivor)
    return deleted > 0


def survivor_key_exists(*, survivor_id: object) -> bool:
    """Whether the key store holds a data key for this survivor."""
    from crisis_ops.keystore.models import WrappedDataKey

    return WrappedDataKey.objects.filter(survivor_id=as_survivor_id(survivor_id)).exists()


def survivor_key_destroyed(*, survivor_id: object) -> bool:
    """Whether this survivor's keys were destroyed (her tombstone exists)."""
    from crisis_ops.keystore.models import DestroyedKey

    return DestroyedKey.objects.filter(survivor_id=as_survivor_id(survivor_id)).exists()
