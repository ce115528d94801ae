"""Writing to the audit log. Write services call ``audit_record`` in their own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from crisis_ops.audit.models import GENESIS_HASH, AuditEvent
from crisis_ops.core.middleware import current_request_id

# The API token that authenticated the current request; RequestIdMiddleware runs each
# request in its own context, so it never outlives the request.
_acting_token_id: ContextVar[uuid.UUID | None] = ContextVar("acting_token_id", default=None)


def audit_attribute_to_token(token_id: uuid.UUID) -> None:
    """Every audit row written for the rest of this request names this token."""
    _acting_token_id.set(token_id)


# Arbitrary constant that names the audit chain's advisory lock.
_CHAIN_LOCK_KEY = 0x0A0D17


def _lock_chain() -> None:
    """Serialise appends so each row links to the true previous one.

    The lock is transaction-scoped: it is released on commit or rollback, and a
    rolled-back append leaves no gap in ``seq``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: models.Model | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    organisation_id: uuid.UUID | None = None,
    token_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records.

    Only ids and action names go in: never a name, a phone or any free text. A row
    written for a request that came with an API token names the token too.
    """
    if obj is not None:
        object_type, object_id = _object_ref(obj)
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    actor_id = actor.pk if actor is not None and actor.pk else None
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        occurred_at=timezone.now(),
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        organisation_id=organisation_id,
        request_id=current_request_id() if current_request_id() != "-" else "",
        token_id=token_id or _acting_token_id.get(),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    event.save()
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def audit_chain_problems(*, batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Walk the chain in order and yield every place it does not hold."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            yield ChainProblem(expected_seq, f"rows {expected_seq}..{event.seq - 1} are missing")
        if event.prev_hash != prev_hash:
            yield ChainProblem(event.seq, "does not link to the previous row")
        if event.compute_hash() != event.hash:
            yield ChainProblem(event.seq, "content was altered")
        expected_seq = event.seq + 1
        prev_hash = event.hash
