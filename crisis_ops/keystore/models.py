"""The key store: each survivor's data key, wrapped by the keyring, in its own database.

These two models live in the ``keystore`` database alias only (see ``router.py``), so the
key store is backed up, retained and restored apart from the case data. Nothing here is
readable without the keyring: a data key is stored only wrapped (AES-256-GCM) by one of
the keyring's data keys.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class WrappedDataKey(models.Model):
    """One survivor's data key, wrapped by the keyring key named in ``wrapping_key_id``.

    ``id`` is the key id written in every ciphertext header made with it, so a value finds
    its key without knowing whose it is. A survivor has one active key (``retired_at``
    empty); a retired key stays readable until rotation has moved her values off it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor_id = models.UUIDField()
    wrapping_key_id = models.CharField(max_length=32)
    # nonce (12) | AES-256-GCM of the 32-byte key | tag (16)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["survivor_id"], name="keystore_key_survivor")]
        constraints = [
            models.UniqueConstraint(
                fields=["survivor_id"],
                condition=Q(retired_at__isnull=True),
                name="keystore_one_active_key_per_survivor",
            )
        ]

    def __str__(self) -> str:
        return f"data key {self.id}"


class DestroyedKey(models.Model):
    """A survivor whose keys were destroyed: no new key is ever made for her id.

    Holds an id and a time, nothing else. Without it a save after the purge would make a
    fresh key and write readable data for someone who was erased.
    """

    survivor_id = models.UUIDField(primary_key=True)
    destroyed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"destroyed {self.survivor_id}"
