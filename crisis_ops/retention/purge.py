"""The purge of survivors: every step committed before the next, so it resumes.

The purge of a survivor, in this order and resumable at every step:

1. a pending ``PurgeJob`` is committed (the journal);
2. her data key is destroyed in the key store (``crisis_ops.encryption.data_keys``), so
   every copy of her encrypted values — this database, its replicas, every main-database
   backup — is unreadable from then on;
3. one transaction deletes her rows (each domain app's registered purger), the
   notifications and reminders that name them, the export files that hold her, her
   hand-set holds and schedule row, writes the content-free record (the job, done, with row
   counts) and its audit row.

A purge killed after 2 leaves a pending job whose key is gone and whose rows are still
there, unreadable; ``purge_resume`` (run first by every daily task, and by
``manage.py retention_resume``) finishes it. Destroying a key twice is harmless.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crisis_ops.audit.services import audit_record
from crisis_ops.notifications.models import Notification
from crisis_ops.reminders.models import Reminder
from crisis_ops.retention import registry
from crisis_ops.retention.models import ErasureRequest, LegalHold, PurgeJob, PurgeSchedule


def _batch_size() -> int:
    """Survivors purged per transaction (RETENTION_PURGE_BATCH, 50)."""
    return max(1, int(getattr(settings, "RETENTION_PURGE_BATCH", 50)))


def _destroy_key(survivor_id: uuid.UUID) -> bool:
    from crisis_ops.encryption.data_keys import destroy_survivor_key

    return destroy_survivor_key(survivor_id=survivor_id)


def _chunks(items: Sequence[uuid.UUID], size: int) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _open_jobs(
    *,
    organisation_id: uuid.UUID,
    survivor_ids: Sequence[uuid.UUID],
    kind: str,
    policy_id: uuid.UUID | None,
    erasure: ErasureRequest | None,
) -> list[PurgeJob]:
    """Step 1: a pending job per survivor, committed; one already pending is reused."""
    with transaction.atomic():
        pending = {
            job.survivor_id: job
            for job in PurgeJob.objects.filter(
                survivor_id__in=survivor_ids, status=PurgeJob.Status.PENDING
            )
        }
        new = [
            PurgeJob(
                organisation_id=organisation_id,
                survivor_id=survivor_id,
                kind=kind,
                policy_id=policy_id,
                erasure=erasure,
            )
            for survivor_id in survivor_ids
            if survivor_id not in pending
        ]
        PurgeJob.objects.bulk_create(new)
    return [*pending.values(), *new]


def _delete_rows(jobs: list[PurgeJob]) -> list[PurgeJob]:
    """Step 3, in one transaction: her rows and everything naming them, then the record."""
    with transaction.atomic():
        locked = list(
            PurgeJob.objects.select_for_update()
            .filter(pk__in=[job.pk for job in jobs], status=PurgeJob.Status.PENDING)
            .order_by("survivor_id")
        )
        if not locked:
            return []
        survivor_ids = [job.survivor_id for job in locked]
        counts: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
        owner: dict[tuple[str, uuid.UUID], uuid.UUID] = {}
        for purger in registry.purgers():
            for label, pairs in purger.purge(survivor_ids).items():
                for survivor_id, row_id in pairs:
                    counts[survivor_id][label] += 1
                    owner[(label, row_id)] = survivor_id
        by_label: dict[str, list[uuid.UUID]] = defaultdict(list)
        for label, row_id in owner:
            by_label[label].append(row_id)
        for model, counted_as in ((Notification, "notifications"), (Reminder, "reminders")):
            for label, row_ids in by_label.items():
                rows = model.objects.filter(object_type=label, object_id__in=row_ids)
                for object_id in rows.values_list("object_id", flat=True):
                    counts[owner[(label, object_id)]][counted_as] += 1
                rows.delete()
        case_ids = by_label.get("cases.case", [])
        for exports in registry.export_files():
            exported = exports.delete(survivor_ids, case_ids)
            if exported:
                # A file may hold several survivors: counted once, on the batch's first.
                counts[survivor_ids[0]]["export_files"] += exported
        LegalHold.objects.filter(case_id__in=case_ids).delete()
        PurgeSchedule.objects.filter(survivor_id__in=survivor_ids).delete()
        now = timezone.now()
        for job in locked:
            job.status, job.finished_at = PurgeJob.Status.DONE, now
            job.rows = dict(sorted(counts[job.survivor_id].items()))
            job.save(update_fields=["status", "finished_at", "rows"])
            audit_record(
                action=f"retention.purged_{job.kind}",
                object_type="retention.purgejob",
                object_id=str(job.pk),
                organisation_id=job.organisation_id,
            )
    return locked


def _finish(jobs: list[PurgeJob]) -> list[PurgeJob]:
    """Steps 2 and 3 for jobs already in the journal."""
    for job in jobs:
        _destroy_key(job.survivor_id)
    PurgeJob.objects.filter(pk__in=[job.pk for job in jobs], key_destroyed_at__isnull=True).update(
        key_destroyed_at=timezone.now()
    )
    return _delete_rows(jobs)


def purge_survivors(
    *,
    organisation_id: uuid.UUID,
    survivor_ids: Sequence[uuid.UUID],
    kind: str,
    policy_id: uuid.UUID | None = None,
    erasure: ErasureRequest | None = None,
    batch_size: int | None = None,
) -> list[PurgeJob]:
    """Purge these survivors, ``batch_size`` at a time; returns the finished jobs."""
    batch_size = batch_size or _batch_size()
    done: list[PurgeJob] = []
    for batch in _chunks(list(dict.fromkeys(survivor_ids)), batch_size):
        jobs = _open_jobs(
            organisation_id=organisation_id,
            survivor_ids=batch,
            kind=kind,
            policy_id=policy_id,
            erasure=erasure,
        )
        done += _finish(jobs)
    return done


def purge_resume(*, batch_size: int | None = None) -> list[PurgeJob]:
    """Finish every purge that was interrupted (pending in the journal)."""
    batch_size = batch_size or _batch_size()
    pending = list(PurgeJob.objects.filter(status=PurgeJob.Status.PENDING).order_by("created_at"))
    done: list[PurgeJob] = []
    for start in range(0, len(pending), batch_size):
        done += _finish(pending[start : start + batch_size])
    return done
