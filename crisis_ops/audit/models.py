"""The audit log: append-only and hash-chained, with no personal data in it.

Each row stores the SHA-256 of its own canonical content together with the
previous row's hash, so changing or removing any row breaks the chain from that
point on; ``manage.py verify_audit_log`` walks it. The model refuses updates and
deletes, and on PostgreSQL a trigger refuses them in the database as well.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only.")


class AuditEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Position in the chain; assigned under a lock, so it has no gaps.
    seq = models.BigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.UUIDField(_("actor"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    organisation_id = models.UUIDField(_("organisation"), null=True, blank=True, db_index=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # The API token the actor used, if any (accounts.ApiToken; its rows are never deleted).
    token_id = models.UUIDField(_("API token"), null=True, blank=True, db_index=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only.")

    def canonical(self) -> bytes:
        payload: dict[str, object] = {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": str(self.actor_id) if self.actor_id else None,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "organisation_id": str(self.organisation_id) if self.organisation_id else None,
            "request_id": self.request_id,
            "prev_hash": self.prev_hash,
            "id": str(self.id),
        }
        # Rows from before tokens were recorded hash as they did then.
        if self.token_id is not None:
            payload["token_id"] = str(self.token_id)
        return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()
