"""make bench-retention: survivors purged per second, end to end, among 100,000.

Seeds (once, topping up what earlier runs purged) 100,000 survivors across 20 centers, each
with one case closed in 2015, an incident and a note (encrypted, each under her own data
key), in crisis_ops_bench_retention. Then puts ``purged`` survivors of one center on the
purge schedule, due today, and times ``retention_purge_due`` for that center: finding who is
due among its survivors, the legal holds, then for each survivor destroying her data key in
the key store and deleting her rows, notifications and reminders in batches, with the purge
record and its audit row.

- purge_per_s: survivors purged per second (target >= 50).

Run: python -m bench.retention [--smoke]. Results: bench/results/retention.json.
"""

from __future__ import annotations

import datetime
import random
import time
from pathlib import Path
from typing import Any

from bench import common

FULL = {"organisations": 20, "survivors_per_org": 5_000, "purged": 1_000}
SMOKE = {"organisations": 2, "survivors_per_org": 40, "purged": 20}
CHUNK = 1_000


def _staff(count: int) -> list[tuple[Any, Any]]:
    from crisis_ops.accounts.models import User
    from crisis_ops.organisations.models import Membership, Organisation, Region
    from crisis_ops.organisations.roles import Role

    regions = list(Region.objects.order_by("code"))
    staff = []
    for i in range(count):
        organisation, _ = Organisation.objects.get_or_create(
            name=f"Retention bench center {i:02d}",
            defaults={"region": regions[i % len(regions)]},
        )
        user, _created = User.objects.get_or_create(
            username=f"retention-bench-{i:02d}", defaults={"email": f"rb{i}@example.org"}
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": Role.CASEWORKER}
        )
        staff.append((organisation, user))
    return staff


def seed(sizes: dict[str, int]) -> dict[str, Any]:
    """Top every center up to its survivors, each with a closed case, incident and note."""
    from django.db import transaction

    from cases.models import Case, Incident, Note, Survivor

    started = time.perf_counter()
    staff = _staff(sizes["organisations"])
    closed_at = datetime.datetime(2015, 6, 1, 9, tzinfo=datetime.UTC)
    made = 0
    rng = random.Random(15)  # noqa: S311 - repeatable test data, not secrets
    for organisation, user in staff:
        missing = (
            sizes["survivors_per_org"] - Survivor.objects.filter(organisation=organisation).count()
        )
        while missing > 0:
            n = min(CHUNK, missing)
            with transaction.atomic():
                survivors = [
                    Survivor(
                        organisation=organisation,
                        code=f"S-{rng.getrandbits(48):012x}",
                        full_name=f"Айгерим Сейтқали {rng.randrange(10**6)}",
                        phone=f"+7701{rng.randrange(10**7):07d}",
                        address="Алматы, ул. Абая 10",
                        age_band="35-44",
                        region=organisation.region,
                    )
                    for _ in range(n)
                ]
                Survivor.objects.bulk_create(survivors)
                cases = Case.objects.bulk_create(
                    Case(
                        organisation=organisation,
                        survivor=s,
                        reference=f"C-{rng.getrandbits(48):012x}",
                        status=Case.Status.CLOSED,
                        closed_reason="resolved",
                        closed_at=closed_at,
                        source="police_102",
                        opened_on=datetime.date(2015, 1, 10),
                    )
                    for s in survivors
                )
                Incident.objects.bulk_create(
                    Incident(
                        case=c,
                        occurred_on=datetime.date(2015, 1, 9),
                        violence_types=["physical"],
                        gbvims_class="physical_assault",
                        relationship="spouse",
                        narrative="Он ударил её на кухне.",
                    )
                    for c in cases
                )
                Note.objects.bulk_create(
                    Note(case=c, author=user, text="Видела синяки на руках.") for c in cases
                )
            made += n
            missing -= n
    return {
        "survivors": Survivor.objects.count(),
        "seeded_now": made,
        "seed_s": round(time.perf_counter() - started, 1),
        "staff": staff,
    }


def measure(organisation: Any, purged: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from cases.models import Survivor
    from crisis_ops.retention.models import PurgeJob, PurgeSchedule
    from crisis_ops.retention.services import retention_purge_due

    today = timezone.localdate()
    chosen = list(
        Survivor.objects.filter(organisation=organisation)
        .order_by("?")
        .values_list("pk", flat=True)[:purged]
    )
    PurgeSchedule.objects.filter(survivor_id__in=chosen).delete()
    PurgeSchedule.objects.bulk_create(
        PurgeSchedule(
            organisation=organisation,
            survivor_id=pk,
            due_on=datetime.date(2020, 6, 1),
            notified_on=today - datetime.timedelta(days=30),
            purge_on=today,
        )
        for pk in chosen
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    jobs = retention_purge_due(organisation=organisation, today=today)
    elapsed = time.perf_counter() - started
    assert len(jobs) == len(chosen), (len(jobs), len(chosen))
    assert not Survivor.objects.filter(pk__in=chosen).exists()
    assert PurgeJob.objects.filter(survivor_id__in=chosen, status="done").count() == len(chosen)
    return {
        "purged": len(chosen),
        "purge_s": round(elapsed, 2),
        "purge_per_s": round(len(chosen) / elapsed, 1),
    }


def run(sizes: dict[str, int], output: Path | None = None) -> dict[str, Any]:
    from bench.common import write_results

    seeded = seed(sizes)
    staff = seeded.pop("staff")
    results: dict[str, Any] = {"sizes": sizes, **seeded}
    results.update(measure(staff[0][0], sizes["purged"]))
    results["targets"] = {"purge_per_s_at_least": 50}
    write_results("retention", results, output)
    return results


def main() -> None:
    common.main(__doc__, database="crisis_ops_bench_retention", run=run, full=FULL, smoke=SMOKE)


if __name__ == "__main__":
    main()
