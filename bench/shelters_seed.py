"""bench-shelters' data: 8 organisations with their staff, cases by COPY, and 40 shelters of
50 beds with stays, live and lapsed holds and history. Shelters are reseeded every run
(holds are only live for 90 minutes); cases are kept."""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections import Counter
from typing import Any

_SHELTER_NAMES = (
    "Убежище «Шанс»", "Дом мамы", "Үміт үйі", "Кризисный центр «Забота»", "Қамқор",
    "Дом надежды", "Шаңырақ", "Ак Ниет", "Сенім", "Мейірім", "Убежище «Право на жизнь»",
    "Береке",
)  # fmt: skip
_STREETS = ("Абая", "Достык", "Толе би", "Сатпаева", "Республики", "Мира", "Момышұлы")
_NEEDS = ("", "", "", "Вегетарианское питание.", "Инсулин: нужен холодильник.", "Нижний этаж.")


# --- seeding --------------------------------------------------------------------------------


def _staff(count: int) -> list[dict[str, Any]]:
    """Organisations across the regions, each with a caseworker and a shelter manager."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from crisis_ops.accounts.models import User
    from crisis_ops.organisations.models import Membership, Organisation, Region
    from crisis_ops.organisations.roles import Role

    regions = list(Region.objects.order_by("code"))
    staff = []
    for i in range(count):
        organisation, _ = Organisation.objects.get_or_create(
            name=f"Bench shelter network {i + 1:02d}",
            defaults={"kind": Organisation.Kind.NGO, "region": regions[i % len(regions)]},
        )
        people = {}
        for role in (Role.CASEWORKER, Role.SHELTER_MANAGER):
            user, _ = User.objects.get_or_create(
                username=f"bench-shelters-{role}-{i + 1:02d}", defaults={"language": "en"}
            )
            Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
            TOTPDevice.objects.get_or_create(
                user=user, name="authenticator", defaults={"confirmed": True}
            )
            people[role] = user
        staff.append(
            {
                "organisation": organisation,
                "caseworker": people[Role.CASEWORKER],
                "manager": people[Role.SHELTER_MANAGER],
            }
        )
    return staff


def _seed_cases(staff: list[dict[str, Any]], total: int) -> int:
    """Cases (with survivors) by COPY, as bench/cases.py: resumes up to ``total``."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.cases import case_row
    from bench.common import CopyTable
    from cases.models import Case, Survivor

    organisations = [s["organisation"] for s in staff]
    have = Case.objects.filter(organisation__in=organisations).count()
    pairs = [(s["organisation"], s["caseworker"]) for s in staff]
    today = timezone.localdate()
    tables = [CopyTable(Survivor), CopyTable(Case)]
    for n in range(have, total):
        survivor, case = case_row(n, pairs, today)
        # Codes and references of their own, so another bench's rows never clash.
        survivor["code"] = f"S-SH{n:06d}"
        case["reference"] = f"C-SH{n:06d}"
        tables[0].add(survivor)
        tables[1].add(case)
    if total > have:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables:
                table.copy(cursor)
    return max(0, total - have)


def _truncate_shelters() -> None:
    from django.db import connection

    from shelters.models import (
        Bed,
        Occupancy,
        Room,
        Shelter,
        ShelterUserObjectPermission,
        TurnAway,
    )

    tables = [
        m._meta.db_table
        for m in (Occupancy, TurnAway, ShelterUserObjectPermission, Bed, Room, Shelter)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)}")


def _seed_shelters(sizes: dict[str, int], staff: list[dict[str, Any]]) -> dict[str, int]:
    """Shelters, rooms, beds and who is in them: bulk_create (the ORM encrypts)."""
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Case
    from crisis_ops.organisations.models import Region
    from shelters.models import Bed, Occupancy, Room, Shelter

    rng = random.Random(6)  # noqa: S311 - synthetic data, reproducible
    now = timezone.now()
    today = timezone.localdate()
    regions = list(Region.objects.order_by("code"))
    shelters, rooms, beds = [], [], []
    for i in range(sizes["shelters"]):
        member = staff[i % len(staff)]
        region = regions[(i * 7) % len(regions)]
        shelters.append(
            Shelter(
                organisation=member["organisation"],
                name=f"{_SHELTER_NAMES[i % len(_SHELTER_NAMES)]} №{i + 1}",
                region=region,
                address=f"{region.name_ru}, ул. {rng.choice(_STREETS)} {rng.randrange(1, 250)}, "
                f"кв. {rng.randrange(1, 90)}",
                intake_phone=f"+7 7{rng.randrange(10, 99)} {rng.randrange(100, 999)} "
                f"{rng.randrange(10, 99)} {rng.randrange(10, 99)}",
                beds_updated_at=now - datetime.timedelta(minutes=rng.randrange(600)),
            )
        )
    for shelter in shelters:
        per_room = sizes["beds_per_room"]
        for r in range(sizes["rooms_per_shelter"]):
            room = Room(shelter=shelter, name=str(r + 1))
            rooms.append(room)
            last_room = r == sizes["rooms_per_shelter"] - 1
            for b in range(per_room):
                # 7 adult, 2 child, 1 cot per 10 beds; the first bed of a room accessible.
                kind = (
                    Bed.Kind.COT
                    if b % 10 == 9
                    else Bed.Kind.CHILD
                    if b % 10 in (7, 8)
                    else Bed.Kind.ADULT
                )
                beds.append(
                    Bed(
                        shelter=shelter,
                        room=room,
                        label=str(b + 1),
                        kind=kind,
                        wheelchair_accessible=b == 0,
                        isolation=last_room and b == per_room - 2,
                        out_of_service=rng.random() < 0.04,
                    )
                )

    organisations = [s["organisation"] for s in staff]
    cases = list(
        Case.objects.filter(organisation__in=organisations)
        .exclude(status=Case.Status.CLOSED)
        .values_list("pk", "organisation_id")
    )
    rng.shuffle(cases)
    free_cases = iter(cases)
    manager_of = {s["organisation"].pk: s["manager"] for s in staff}
    caseworker_of = {s["organisation"].pk: s["caseworker"] for s in staff}
    occupancies: list[Occupancy] = []
    by_shelter: dict[uuid.UUID, list[Bed]] = {}
    for bed in beds:
        by_shelter.setdefault(bed.shelter.pk, []).append(bed)
    counts = Counter[str]()
    for shelter in shelters:
        in_service = [b for b in by_shelter[shelter.pk] if not b.out_of_service]
        rate = rng.uniform(0.6, 0.8)
        mothers: list[Occupancy] = []
        for bed in in_service:
            roll = rng.random()
            if roll > rate:
                continue
            manager = manager_of[shelter.organisation.pk]
            if bed.kind != Bed.Kind.ADULT and mothers:
                mother = rng.choice(mothers)
                occupancies.append(
                    Occupancy(
                        bed=bed,
                        case_id=mother.case_id,
                        kind=Occupancy.Kind.STAY,
                        accompanies=mother,
                        placed_by=manager,
                        admitted_on=mother.admitted_on,
                        expected_end=mother.expected_end,
                    )
                )
                counts["children_stays"] += 1
                continue
            case_id, case_org = next(free_cases)
            if roll > rate - 0.04:
                # A hold from a caseworker of any center: most live, some past 90 minutes.
                expired = roll > rate - 0.01
                minutes = -rng.randrange(5, 300) if expired else rng.randrange(5, 85)
                occupancies.append(
                    Occupancy(
                        bed=bed,
                        case_id=case_id,
                        kind=Occupancy.Kind.HOLD,
                        placed_by=caseworker_of[case_org],
                        hold_expires_at=now + datetime.timedelta(minutes=minutes),
                        needs=rng.choice(_NEEDS),
                    )
                )
                counts["holds_expired_not_ended" if expired else "holds_live"] += 1
                continue
            admitted = today - datetime.timedelta(days=rng.randrange(1, 150))
            stay = Occupancy(
                bed=bed,
                case_id=case_id,
                kind=Occupancy.Kind.STAY,
                placed_by=manager,
                admitted_on=admitted,
                expected_end=admitted + datetime.timedelta(days=rng.randrange(30, 180)),
                needs=rng.choice(_NEEDS),
            )
            occupancies.append(stay)
            if bed.kind == Bed.Kind.ADULT:
                mothers.append(stay)
            counts["stays"] += 1
    history = []
    for bed in beds:
        for h in range(sizes["history_per_bed"]):
            case_id, case_org = cases[rng.randrange(len(cases))]
            ended = now - datetime.timedelta(days=h * 20 + rng.randrange(1, 20))
            was_stay = rng.random() < 0.5
            history.append(
                Occupancy(
                    bed=bed,
                    case_id=case_id,
                    kind=Occupancy.Kind.STAY if was_stay else Occupancy.Kind.HOLD,
                    placed_by=manager_of[bed.shelter.organisation.pk],
                    admitted_on=(ended - datetime.timedelta(days=30)).date() if was_stay else None,
                    hold_expires_at=None if was_stay else ended,
                    ended_at=ended,
                    end_reason=Occupancy.EndReason.DISCHARGED
                    if was_stay
                    else rng.choice([Occupancy.EndReason.RELEASED, Occupancy.EndReason.EXPIRED]),
                    outcome=rng.choice(Occupancy.Outcome.values) if was_stay else "",
                )
            )
    with transaction.atomic():
        Shelter.objects.bulk_create(shelters)
        Room.objects.bulk_create(rooms)
        Bed.objects.bulk_create(beds, batch_size=2000)
        mothers_first = sorted(occupancies, key=lambda o: o.accompanies is not None)
        Occupancy.objects.bulk_create(mothers_first, batch_size=2000)
        Occupancy.objects.bulk_create(history, batch_size=2000)
    return {
        "shelters": len(shelters),
        "beds": len(beds),
        "beds_out_of_service": sum(b.out_of_service for b in beds),
        **counts,
        "history_occupancies": len(history),
    }


def seed(sizes: dict[str, int]) -> dict[str, Any]:
    from django.db import connection

    from cases.models import Case

    start = time.perf_counter()
    staff = _staff(sizes["organisations"])
    cases_now = _seed_cases(staff, sizes["cases"])
    _truncate_shelters()
    seeded = _seed_shelters(sizes, staff)
    with connection.cursor() as cursor:
        for table in ("shelters_shelter", "shelters_room", "shelters_bed", "shelters_occupancy"):
            cursor.execute(f"ANALYZE {table}")
        if cases_now:
            cursor.execute("ANALYZE cases_case")
            cursor.execute("ANALYZE cases_survivor")
    organisations = [s["organisation"] for s in staff]
    return {
        "organisations": len(staff),
        "cases": Case.objects.filter(organisation__in=organisations).count(),
        **seeded,
        "seed_s": round(time.perf_counter() - start, 1),
        "staff": staff,
    }
