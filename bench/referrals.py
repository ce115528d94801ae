"""make bench-referrals: a center's incoming referrals, and the case list beside referral grants.

Seeds (once, into crisis_ops_bench_referrals) 100,000 cases across 20 centers (bench.cases
rows, encrypted), a network partner per center, and 200,000 referrals with encrypted
snapshots in every status; center 01's two caseworkers differ only in that one holds
view_referred_case grants on the 5,000 cases center 20 referred to it and it accepted.
Measures, through Django's test client against PostgreSQL:
- incoming_list_p95_ms: GET of center 01's incoming referrals page (referrals:incoming);
- case_list_ratio_with_grants: the case list p95 for the caseworker holding the grants,
  over the same list for her colleague without them (taken in turns).

Run: python -m bench.referrals [--smoke]. Results: bench/results/referrals.json.
"""

from __future__ import annotations

import datetime
import json
import random
import sys
import time
import uuid
from typing import Any

from bench import common

FULL = {
    "organisations": 20,
    "cases_per_org": 5_000,
    "referrals_per_case": 2,
    "granted": 5_000,
    "requests": 300,
}
SMOKE = {
    "organisations": 3,
    "cases_per_org": 40,
    "referrals_per_case": 2,
    "granted": 30,
    "requests": 5,
}
CHUNK = 10_000
WARM_UP = 10
STATUSES = (("sent", 20), ("accepted", 35), ("declined", 15), ("completed", 25), ("cancelled", 5))


def _center_partners(staff: list[tuple[Any, Any]]) -> list[Any]:
    from referrals.models import Partner, PartnerKind

    kind = PartnerKind.objects.get(code="center")
    return [
        Partner.objects.get_or_create(
            linked_organisation=organisation,
            defaults={
                "name": organisation.name,
                "kind": kind,
                "region": organisation.region,
                "services": kind.services,
            },
        )[0]
        for organisation, _ in staff
    ]


def _referral(
    n: int,
    case: dict[str, Any],
    partner: Any,
    sender: Any,
    now: datetime.datetime,
    accepted: bool,
) -> dict[str, Any]:
    rng = random.Random(n)  # noqa: S311 - synthetic data, reproducible per row
    status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
    status = "accepted" if accepted else status
    sent = now - datetime.timedelta(days=rng.randrange(400), minutes=rng.randrange(1440))
    answered = sent + datetime.timedelta(hours=rng.randrange(1, 72)) if status != "sent" else None
    return {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "created_at": sent,
        "updated_at": sent,
        "reference": f"R-B{n:08d}",
        "kind": "referral",
        "based_on": None,
        "request_reason": "",
        "request_note": None,
        "case": case["id"],
        "partner": partner.pk,
        "from_organisation": case["organisation"],
        "to_organisation": partner.linked_organisation_id,
        "purpose": "case_management",
        "is_transfer": False,
        "status": status,
        "parts": json.dumps(["identity", "risk_band"]),
        "snapshot": {
            "identity": {"full_name": f"Bench {n}", "age_band": "25-34"},
            "risk_band": {"band": case["risk_band"] or None},
        },
        "consent": None,
        "consent_overridden": False,
        "override_reason": "",
        "consent_revoked_at": None,
        "delivery": "in_app",
        "sent_by": sender.pk,
        "sent_at": sent,
        "answer_due_at": sent + datetime.timedelta(hours=48),
        "answered_by": sender.pk if answered else None,
        "answered_at": answered,
        "decline_reason": "no_capacity" if status == "declined" else "",
        "completed_by": sender.pk if status == "completed" else None,
        "completed_at": answered if status == "completed" else None,
        "outcome": "provided" if status == "completed" else "",
        "cancelled_by": sender.pk if status == "cancelled" else None,
        "cancelled_at": answered if status == "cancelled" else None,
    }


def seed(sizes: dict[str, int]) -> dict[str, Any]:
    """Cases, their referrals (each case to the next centers along), and center 01's grants."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.cases import case_row, staff_for
    from bench.common import CopyTable
    from cases.models import Case, Survivor
    from crisis_ops.encryption.field_base import OWNER_ANNOTATION
    from referrals.models import Referral

    start = time.perf_counter()
    staff = staff_for(sizes["organisations"])
    organisations = [organisation for organisation, _ in staff]
    partners = _center_partners(staff)
    total = sizes["organisations"] * sizes["cases_per_org"]
    have = Case.objects.filter(organisation__in=organisations).count()
    today, now = timezone.localdate(), timezone.now()
    tables = {
        "survivor": CopyTable(Survivor),
        "case": CopyTable(Case),
        "referral": CopyTable(Referral),
    }
    per_case = sizes["referrals_per_case"]
    for chunk_start in range(have, total, CHUNK):
        for n in range(chunk_start, min(total, chunk_start + CHUNK)):
            survivor, case = case_row(n, staff, today)
            tables["survivor"].add(survivor)
            tables["case"].add(case)
            home = n % len(staff)
            for k in range(per_case):
                target = (home + 1 + k) % len(staff)
                sender = staff[home][1]
                # Center 01 accepted every referral center 20 sent it: its 5,000 grants.
                accepted = target == 0 and k == 0
                row = _referral(n * per_case + k, case, partners[target], sender, now, accepted)
                # The snapshot is sealed with her data key; the reused instance has no case
                # to walk to her, so it is told whose it is (as bench.reports_seed does).
                tables["referral"].instance.__dict__[OWNER_ANNOTATION] = case["survivor"]
                tables["referral"].add(row)
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables.values():
                table.copy(cursor)
        print(f"  seeded {min(total, chunk_start + CHUNK):,} / {total:,} cases", file=sys.stderr)
    granted = _grant(staff, sizes["granted"])
    if total > have:
        with connection.cursor() as cursor:
            for table in tables.values():
                cursor.execute(f"ANALYZE {table.model._meta.db_table}")
    return {
        "cases": Case.objects.filter(organisation__in=organisations).count(),
        "referrals": Referral.objects.filter(from_organisation__in=organisations).count(),
        "granted_cases": granted,
        "seed_s": round(time.perf_counter() - start, 1),
        "staff": staff,
    }


def _grant(staff: list[tuple[Any, Any]], count: int) -> int:
    """Center 01's first caseworker holds the grants of its accepted incoming referrals."""
    from django.contrib.auth.models import Permission
    from django.db import connection

    from cases.models import CaseUserObjectPermission
    from referrals.models import Referral

    organisation, holder = staff[0]
    permission = Permission.objects.get(
        content_type__app_label="cases", codename="view_referred_case"
    )
    existing = CaseUserObjectPermission.objects.filter(user=holder, permission=permission)
    if existing.count() < count:
        case_ids = list(
            Referral.objects.filter(to_organisation=organisation, status="accepted")
            .values_list("case_id", flat=True)
            .distinct()[:count]
        )
        CaseUserObjectPermission.objects.bulk_create(
            [
                CaseUserObjectPermission(user=holder, permission=permission, content_object_id=c)
                for c in case_ids
            ],
            ignore_conflicts=True,
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CaseUserObjectPermission._meta.db_table}")
    return existing.count()


def _colleague(organisation: Any) -> Any:
    """A second caseworker of the same center, with no grants at all."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from crisis_ops.accounts.models import User
    from crisis_ops.organisations.models import Membership

    user, _ = User.objects.get_or_create(
        username="bench-caseworker-01-colleague", defaults={"language": "ru"}
    )
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": "caseworker"}
    )
    TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    return user


def measure(staff: list[tuple[Any, Any]], requests: int) -> dict[str, Any]:
    from django.urls import reverse

    from bench.common import (
        count_queries,
        getter,
        interleaved_samples,
        percentile,
        signed_in_client,
    )

    organisation, holder = staff[0]
    with_grants = signed_in_client(holder)
    without = signed_in_client(_colleague(organisation))
    incoming = getter(with_grants, reverse("referrals:incoming"))
    listed = {
        "with": getter(with_grants, reverse("cases:case_list")),
        "without": getter(without, reverse("cases:case_list")),
    }
    page = incoming().content.decode()
    assert page.count('class="referral-row"') > 0, "the incoming list shows no referral"
    for _ in range(WARM_UP):
        incoming(), listed["with"](), listed["without"]()
    samples = interleaved_samples({"incoming": incoming, **listed}, requests)
    p95 = {name: percentile(values, 95) for name, values in samples.items()}
    return {
        "incoming_list_rows": page.count('class="referral-row"'),
        "incoming_list_queries": count_queries(incoming),
        "incoming_list_p50_ms": round(percentile(samples["incoming"], 50), 2),
        "incoming_list_p95_ms": round(p95["incoming"], 2),
        "case_list_with_grants_p95_ms": round(p95["with"], 2),
        "case_list_without_grants_p95_ms": round(p95["without"], 2),
        "case_list_ratio_with_grants": round(p95["with"] / p95["without"], 3),
        "case_list_queries_with_grants": count_queries(listed["with"]),
        "case_list_queries_without_grants": count_queries(listed["without"]),
    }


def run(sizes: dict[str, int], output: Any = None) -> dict[str, Any]:
    from bench.common import write_results

    seeded = seed(sizes)
    staff = seeded.pop("staff")
    results: dict[str, Any] = {"sizes": sizes, **seeded, **measure(staff, sizes["requests"])}
    results["targets"] = {
        "incoming_list_p95_ms_below": 150,
        "case_list_ratio_with_grants_at_most": 1.25,
    }
    write_results("referrals", results, output)
    return results


def main() -> None:
    common.main(
        __doc__, database="crisis_ops_bench_referrals", run=run, full=FULL, smoke=SMOKE, pages=True
    )


if __name__ == "__main__":
    main()
