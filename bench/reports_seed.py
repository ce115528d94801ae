"""Seeding for make bench-reports: two networks of centers, one with ten times the incidents.

Each network has its own centers (``Bench reports <net> NN``), cases spread over 36 months,
two incidents per case, a survivor per case and a statistics consent for 92 % of cases.
Rows go in by COPY (bench.common.CopyTable encrypts what must be encrypted); a stopped run
resumes where it stopped, and a seeded network is reused on the next run.
"""

from __future__ import annotations

import datetime
import json
import random
import sys
import uuid
from typing import Any

CHUNK = 20_000  # cases per COPY round
MONTHS = 36
GBVIMS = (("physical_assault", 40, ("physical", "psychological")),
          ("psychological", 30, ("psychological", "economic")),
          ("denial_of_resources", 14, ("economic", "psychological")),
          ("sexual_assault", 7, ("sexual", "physical")),
          ("rape", 6, ("sexual", "physical")),
          ("forced_marriage", 3, ("psychological", "sexual")))  # fmt: skip
RELATIONSHIPS = ("spouse", "former_spouse", "cohabitant", "former_cohabitant", "close_relative",
                 "child_in_common", "other")  # fmt: skip
RELATIONSHIP_WEIGHTS = (46, 14, 12, 5, 15, 4, 4)
SOURCES = ("self", "police_102", "hotline_150", "relative", "medical", "other")
SOURCE_WEIGHTS = (30, 30, 20, 10, 7, 3)
AGE_BANDS = ("0-17", "18-24", "25-34", "35-44", "45-59", "60+")
AGE_WEIGHTS = (3, 17, 36, 26, 14, 4)


def centers(network: str, count: int) -> tuple[list[Any], Any]:
    """The network's centers (one region each, round the list) and a coordinator for it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from crisis_ops.accounts.models import User
    from crisis_ops.organisations.models import Membership, Organisation, Region
    from crisis_ops.organisations.roles import Role

    regions = list(Region.objects.order_by("code"))
    organisations = [
        Organisation.objects.get_or_create(
            name=f"Bench reports {network} {i + 1:02d}",
            defaults={"kind": Organisation.Kind.NGO, "region": regions[i % len(regions)]},
        )[0]
        for i in range(count)
    ]
    coordinator, _ = User.objects.get_or_create(
        username=f"bench-coordinator-{network.lower()}", defaults={"language": "ru"}
    )
    Membership.objects.get_or_create(
        user=coordinator, organisation=organisations[0], defaults={"role": Role.COORDINATOR}
    )
    TOTPDevice.objects.get_or_create(
        user=coordinator, name="authenticator", defaults={"confirmed": True}
    )
    return organisations, coordinator


def _rows(
    n: int, network: str, organisations: list[Any], actor: Any, today: datetime.date
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    rng = random.Random(f"{network}-{n}")  # noqa: S311 - synthetic data, reproducible per row
    organisation = organisations[n % len(organisations)]
    opened = today - datetime.timedelta(days=1 + rng.randrange(MONTHS * 30))
    created = datetime.datetime.combine(opened, datetime.time(10), datetime.UTC)
    survivor_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    case_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    survivor = {
        "id": survivor_id, "created_at": created, "updated_at": created,
        "organisation": organisation.pk, "code": f"S-R{network}{n:07d}",
        "full_name": f"Bench {n}", "iin": None, "birth_date": None, "phone": None,
        "address": "", "safe_contact": "",
        "age_band": rng.choices(AGE_BANDS, AGE_WEIGHTS)[0],
        "sex": "female" if rng.random() < 0.95 else "male",
        "region": organisation.region_id,
        "disability": rng.choices(("none", "physical", "sensory", "unknown"), (88, 5, 3, 4))[0],
    }  # fmt: skip
    case = {
        "id": case_id, "created_at": created, "updated_at": created,
        "organisation": organisation.pk, "survivor": survivor_id,
        "reference": f"C-R{network}{n:07d}", "assigned_to": actor.pk, "status": "closed",
        "closed_reason": "resolved", "closed_at": created + datetime.timedelta(days=30),
        "source": rng.choices(SOURCES, SOURCE_WEIGHTS)[0], "opened_on": opened,
        "never_disclose_location": False, "no_contact_by_phone": False,
        "is_restricted": False, "risk_band": rng.choice(("standard", "medium", "high")),
    }  # fmt: skip
    incidents = []
    for k in range(2):
        gbvims, _, types = rng.choices(GBVIMS, [g[1] for g in GBVIMS])[0]
        day = (
            opened - datetime.timedelta(days=rng.randrange(5))
            if k == 0
            else min(
                today - datetime.timedelta(days=1),
                opened + datetime.timedelta(days=rng.randrange(300)),
            )
        )
        incidents.append({
            "id": uuid.UUID(int=rng.getrandbits(128), version=4), "created_at": created,
            "updated_at": created, "case": case_id, "occurred_on": day,
            "violence_types": json.dumps(list(types[: 1 + (rng.random() < 0.5)])),
            "gbvims_class": gbvims,
            "relationship": rng.choices(RELATIONSHIPS, RELATIONSHIP_WEIGHTS)[0],
            "children_present": rng.random() < 0.45, "injuries": rng.random() < 0.3,
            "reported_to_police": rng.random() < 0.5, "forensic_exam_needed": False,
            "forensic_exam_done": False, "narrative": "",
        })  # fmt: skip
    consent = None
    if rng.random() < 0.92:
        consent = {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4), "created_at": created,
            "updated_at": created, "case": case_id, "scope": "statistics", "granted_on": opened,
            "expires_on": None, "revoked_at": None, "parts": "[]", "recorded_by": actor.pk,
        }  # fmt: skip
    return survivor, case, incidents, consent


def seed_network(network: str, *, organisations: int, incidents: int) -> dict[str, Any]:
    """Seed the network up to ``incidents`` incidents (two per case); returns its handles."""
    import time

    from django.db import connection, transaction
    from django.test import override_settings
    from django.utils import timezone

    from bench.common import CopyTable
    from cases.models import Case, Consent, Incident, Survivor
    from crisis_ops.encryption import data_keys
    from crisis_ops.encryption.cache import reset_key_cache
    from crisis_ops.encryption.field_base import OWNER_ANNOTATION

    start = time.perf_counter()
    orgs, coordinator = centers(network, organisations)
    total = incidents // 2
    have = Case.objects.filter(organisation__in=orgs).count()
    today = timezone.localdate()
    tables = {m: CopyTable(m) for m in (Survivor, Case, Incident, Consent)}

    def add(model: Any, values: dict[str, Any], survivor_id: Any) -> None:
        # Each survivor's values are sealed with her own data key (made per chunk below);
        # the reused instance is told whose they are, as rotation's annotation does.
        tables[model].instance.__dict__[OWNER_ANNOTATION] = survivor_id
        tables[model].add(values)

    with override_settings(ENCRYPTION_KEY_CACHE_SIZE=4 * CHUNK):
        reset_key_cache()
        for chunk_start in range(have, total, CHUNK):
            chunk = [
                _rows(n, network, orgs, coordinator, today)
                for n in range(chunk_start, min(total, chunk_start + CHUNK))
            ]
            data_keys.ensure_survivor_keys({survivor["id"] for survivor, *_ in chunk})
            for survivor, case, rows, consent in chunk:
                owner = survivor["id"]
                add(Survivor, survivor, owner)
                add(Case, case, owner)
                for row in rows:
                    add(Incident, row, owner)
                if consent is not None:
                    add(Consent, consent, owner)
            with transaction.atomic(), connection.cursor() as cursor:
                for table in tables.values():
                    table.copy(cursor)
            done = min(total, chunk_start + CHUNK)
            print(f"  network {network}: {done * 2:,} / {total * 2:,} incidents", file=sys.stderr)
    reset_key_cache()
    if total > have:
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {
        "organisations": orgs,
        "coordinator": coordinator,
        "incidents": Incident.objects.filter(case__organisation__in=orgs).count(),
        "seed_s": round(time.perf_counter() - start, 1),
    }
