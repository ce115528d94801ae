"""Rotation of the survivors' data keys in the key store; no value is touched here.

Re-wrapping seals every data key again under the keyring's active key (after a keyring
rotation). Renewing gives survivors fresh data keys and retires the old ones, which stay
readable until ``crisis_ops.encryption.rotation`` has re-encrypted her values under the new
key and verified them; then ``delete_retired_keys`` removes them.
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.db import transaction

from crisis_ops.encryption.cache import key_cache
from crisis_ops.encryption.data_keys import (
    KEYSTORE_DB,
    Progress,
    header_for,
    lock_survivors,
    unwrap,
    wrap,
)
from crisis_ops.encryption.keys import KEY_BYTES, get_keyring


def renew_keys(
    *, made_before: datetime.datetime, batch_size: int = 500, progress: Progress | None = None
) -> int:
    """Give every survivor whose active key was made before ``made_before`` a fresh one; the
    old key is retired, still readable, until rotation has re-encrypted her values and
    ``delete_retired_keys`` removes it. Each batch commits on its own and renewed keys are
    newer than ``made_before``, so an interrupted run resumes. Returns the keys renewed."""
    from django.utils import timezone

    from crisis_ops.keystore.models import WrappedDataKey

    keyring = get_keyring()
    cache = key_cache()
    pending = WrappedDataKey.objects.filter(
        retired_at__isnull=True, created_at__lt=made_before
    ).order_by("survivor_id")
    total, done = pending.count(), 0
    while True:
        survivors = list(pending.values_list("survivor_id", flat=True)[:batch_size])
        if not survivors:
            break
        with transaction.atomic(using=KEYSTORE_DB):
            lock_survivors(survivors)
            now = timezone.now()
            WrappedDataKey.objects.filter(
                survivor_id__in=survivors, retired_at__isnull=True, created_at__lt=made_before
            ).update(retired_at=now)
            fresh = []
            for survivor in survivors:
                key_id = uuid.uuid4()
                raw = secrets.token_bytes(KEY_BYTES)
                wrapped = wrap(raw, key_id=key_id, survivor_id=survivor, keyring=keyring)
                fresh.append(
                    WrappedDataKey(
                        id=key_id,
                        survivor_id=survivor,
                        wrapping_key_id=keyring.active_data_key,
                        wrapped=wrapped,
                        created_at=max(now, made_before),
                    )
                )
            WrappedDataKey.objects.bulk_create(fresh)
        renewed = set(survivors)
        cache.discard_where(lambda k, r=renewed: k.survivor_id in r)  # type: ignore[misc]
        done += len(survivors)
        if progress:
            progress("keystore.WrappedDataKey (renew)", done, total)
    return done


def delete_retired_keys() -> int:
    """Delete retired keys: only once verification found no value under them."""
    from crisis_ops.keystore.models import WrappedDataKey

    retired = WrappedDataKey.objects.filter(retired_at__isnull=False)
    gone = {header_for(k) for k in retired.values_list("id", flat=True)}
    deleted, _ = retired.delete()
    key_cache().discard_where(lambda k: k.header in gone)
    return deleted


def retired_keys() -> int:
    from crisis_ops.keystore.models import WrappedDataKey

    return WrappedDataKey.objects.filter(retired_at__isnull=False).count()


def rewrap_keys(*, batch_size: int = 500, progress: Progress | None = None) -> int:
    """Re-wrap every data key not yet wrapped by the keyring's active key; no value is
    touched. Each batch commits on its own and only unfinished rows are selected, so an
    interrupted run simply resumes. Returns the number of keys re-wrapped."""
    from crisis_ops.keystore.models import WrappedDataKey

    keyring = get_keyring()
    active = keyring.active_data_key
    pending = WrappedDataKey.objects.exclude(wrapping_key_id=active).order_by("id")
    total = pending.count()
    done = 0
    label = "keystore.WrappedDataKey"
    after: uuid.UUID | None = None
    while True:
        page = pending.filter(id__gt=after) if after else pending
        batch = list(
            page.values_list("id", "survivor_id", "wrapping_key_id", "wrapped")[:batch_size]
        )
        if not batch:
            break
        with transaction.atomic(using=KEYSTORE_DB):
            for key_id, survivor_id, wrapping_key_id, wrapped in batch:
                raw = unwrap(
                    bytes(wrapped),
                    key_id=key_id,
                    survivor_id=survivor_id,
                    wrapping_key_id=wrapping_key_id,
                    keyring=keyring,
                )
                WrappedDataKey.objects.filter(id=key_id, wrapping_key_id=wrapping_key_id).update(
                    wrapping_key_id=active,
                    wrapped=wrap(raw, key_id=key_id, survivor_id=survivor_id, keyring=keyring),
                )
        done += len(batch)
        after = batch[-1][0]
        if progress:
            progress(label, done, total)
    return done


def keys_not_under_active_wrapping_key() -> int:
    from crisis_ops.keystore.models import WrappedDataKey

    return WrappedDataKey.objects.exclude(wrapping_key_id=get_keyring().active_data_key).count()
