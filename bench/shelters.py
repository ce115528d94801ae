"""make bench-shelters: the network bed board at 40 shelters × 50 beds, and the bed race.

Seeds, in its own database, 8 organisations (a caseworker and a shelter manager each),
3,000 cases (encrypted, by COPY, as bench/cases.py: the board reads no case, the
stays and holds need them), and 40 shelters across the regions, each with 5 rooms of
10 beds (adult, child, cot; some wheelchair-accessible, one isolation bed, a few out
of service), 60–80 % of the beds in service taken by stays (children on beds of their
own next to their mother), a few live holds, a few holds past their 90 minutes that
the minute task has not ended yet, and 8 ended holds or stays of history per bed.
Shelters are reseeded every run (holds are only live for 90 minutes); cases are kept.

Then measures, in one run:
- board_p50_ms / board_p95_ms: GET of the network board (shelters:board), full HTML,
  through Django's test client against PostgreSQL, signed in as a caseworker;
- board_selector_p95_ms: ``availability_board`` alone (its two queries), against
  board_naive_p95_ms: the same rows by a naive loop, one counting query per shelter;
  board_naive_ratio is the second over the first; the rows are checked equal;
- board_rows_p50_ms / board_rows_p95_ms: the rows alone (shelters:board_rows), which
  every open board reloads every 30 seconds;
- board_queries: queries the page makes (the selector's two, the rest is the site's frame);
- race_*: a real server (gunicorn, gthread workers, as deployed) and ``race_requests``
  caseworkers of other centers POSTing /api/v1/holds at once, released together by a
  barrier, for the last ``race_beds`` free adult beds of one shelter: how many got 201,
  409, 5xx, and how many holds the database holds afterwards (on distinct beds).

Run: python -m bench.shelters [--smoke]. Results: bench/results/shelters.json.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

FULL = {
    "organisations": 8,
    "shelters": 40,
    "rooms_per_shelter": 5,
    "beds_per_room": 10,
    "cases": 3_000,
    "history_per_bed": 8,
    "requests": 200,
    "warm_up": 10,
    "race_requests": 50,
    "race_beds": 5,
    "server_workers": 2,
    "server_threads": 25,
}
SMOKE = {
    "organisations": 2,
    "shelters": 4,
    "rooms_per_shelter": 2,
    "beds_per_room": 6,
    "cases": 80,
    "history_per_bed": 1,
    "requests": 3,
    "warm_up": 1,
    "race_requests": 12,
    "race_beds": 3,
    "server_workers": 1,
    "server_threads": 12,
}
ROOT = Path(__file__).resolve().parent.parent
TAKEN = "This bed was just taken. Choose another one."

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

    from bench.cases import _row, _Table
    from cases.models import Case, Survivor

    organisations = [s["organisation"] for s in staff]
    have = Case.objects.filter(organisation__in=organisations).count()
    pairs = [(s["organisation"], s["caseworker"]) for s in staff]
    today = timezone.localdate()
    tables = [_Table(Survivor), _Table(Case)]
    for n in range(have, total):
        survivor, case = _row(n, pairs, today)
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


# --- the board ------------------------------------------------------------------------------


def naive_board(user: Any) -> list[Any]:
    """The baseline: the board's rows by one counting query per shelter."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.utils import timezone

    from shelters.models import Bed, Occupancy, Shelter
    from shelters.selectors import BoardRow, member_organisations

    now = timezone.now()
    own = set(member_organisations(user))
    taken = Exists(
        Occupancy.objects.filter(bed=OuterRef("pk"), ended_at__isnull=True).filter(
            Q(kind=Occupancy.Kind.STAY) | Q(hold_expires_at__gte=now)
        )
    )
    free = Q(out_of_service=False, taken=False)
    rows = []
    shelters = (
        Shelter.objects.filter(is_active=True)
        .select_related("region", "organisation")
        .order_by("region__name_en", "name")
    )
    for shelter in shelters:
        c = (
            Bed.objects.filter(shelter=shelter)
            .alias(taken=taken)
            .aggregate(
                total=Count("pk"),
                in_service=Count("pk", filter=Q(out_of_service=False)),
                adult=Count("pk", filter=free & Q(kind=Bed.Kind.ADULT)),
                child=Count("pk", filter=free & Q(kind=Bed.Kind.CHILD)),
                cot=Count("pk", filter=free & Q(kind=Bed.Kind.COT)),
                accessible=Count("pk", filter=free & Q(wheelchair_accessible=True)),
                isolation=Count("pk", filter=free & Q(isolation=True)),
            )
        )
        rows.append(
            BoardRow(
                shelter=shelter,
                free={"adult": c["adult"], "child": c["child"], "cot": c["cot"]},
                free_accessible=c["accessible"],
                free_isolation=c["isolation"],
                total=c["total"],
                in_service=c["in_service"],
                show_address=shelter.organisation_id in own,
                updated_at=shelter.beds_updated_at,
            )
        )
    return rows


def _row_key(row: Any) -> tuple[Any, ...]:
    return (
        row.shelter.pk,
        tuple(sorted(row.free.items())),
        row.free_accessible,
        row.free_isolation,
        row.total,
        row.in_service,
        row.show_address,
    )


def _board_url() -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("shelters:board")
    except NoReverseMatch:
        return None


def _queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def measure_board(caseworker: Any, requests: int, warm_up: int) -> dict[str, Any]:
    from django.test import Client

    from bench.cases import _samples
    from bench.common import percentile
    from shelters.models import Shelter
    from shelters.selectors import availability_board
    from tests.personas import sign_in

    selector_rows = availability_board(user=caseworker)
    naive_rows = naive_board(caseworker)
    assert [_row_key(r) for r in selector_rows] == [_row_key(r) for r in naive_rows], (
        "the board and the naive loop disagree"
    )
    fns: dict[str, Callable[[], object]] = {
        "selector": lambda: availability_board(user=caseworker),
        "naive": lambda: naive_board(caseworker),
    }
    results: dict[str, Any] = {
        "board_rows": len(selector_rows),
        "board_free_beds": sum(r.free_total for r in selector_rows),
        "board_selector_queries": _queries(fns["selector"]),
        "board_naive_queries": _queries(fns["naive"]),
    }
    url = _board_url()
    if url is not None:
        from django.urls import reverse

        client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), caseworker)

        def page() -> Any:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        html = page().content.decode()
        # Every shelter on the board; the street address only of the caseworker's own.
        own = caseworker.memberships.values_list("organisation_id", flat=True)
        for shelter in Shelter.objects.all():
            assert shelter.name in html, shelter.name
            shown = shelter.address in html
            assert shown == (shelter.organisation_id in own), (shelter.name, shown)
        rows_url = reverse("shelters:board_rows")

        def rows_page() -> Any:
            response = client.get(rows_url)
            assert response.status_code == 200, (rows_url, response.status_code)
            return response

        fns["page"] = page
        fns["rows"] = rows_page
        results["board_url"] = url
        results["board_queries"] = _queries(page)
        results["board_html_kb"] = round(len(html.encode()) / 1024, 1)
    for _ in range(warm_up):
        for fn in fns.values():
            fn()
    samples = _samples(fns, requests)
    main = "page" if "page" in samples else "selector"
    results["board_measured"] = (
        "GET of the board page, full HTML, test client"
        if main == "page"
        else "availability_board only: the board page is not routed yet"
    )
    results["board_p95_method"] = (
        f"requests in {BLOCKS} consecutive blocks; p95 of each block, median over the blocks "
        "(a burst from a neighbour on this shared machine spoils one block, not the figure); "
        "the p95 of all requests pooled is given as *_p95_pooled_ms"
    )
    for name, prefix in (
        (main, "board"),
        ("rows", "board_rows"),
        ("selector", "board_selector"),
        ("naive", "board_naive"),
    ):
        if name not in samples:
            continue
        results[f"{prefix}_p50_ms"] = round(percentile(samples[name], 50), 2)
        results[f"{prefix}_p95_ms"] = round(_block_p95(samples[name]), 2)
        results[f"{prefix}_p95_pooled_ms"] = round(percentile(samples[name], 95), 2)
    results["board_naive_ratio"] = round(
        _block_p95(samples["naive"]) / _block_p95(samples["selector"]), 2
    )
    return results


BLOCKS = 5


def _block_p95(samples: list[float]) -> float:
    """The median over consecutive blocks of each block's p95."""
    from bench.common import percentile

    size = max(1, len(samples) // BLOCKS)
    blocks = [samples[i : i + size] for i in range(0, size * BLOCKS, size) if samples[i : i + size]]
    return statistics.median(percentile(block, 95) for block in blocks)


# --- the race -------------------------------------------------------------------------------


def _url_of_database() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(url: str, token: str, body: dict[str, str] | None = None) -> tuple[int, Any, float]:
    request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method="POST" if body is not None else "GET",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept-Language": "en",
        },
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except OSError as error:  # refused or reset: counted apart, never as a success
        return 0, repr(error), time.perf_counter() - start
    elapsed = time.perf_counter() - start
    try:
        return status, json.loads(raw or b"null"), elapsed
    except ValueError:
        return status, raw.decode(errors="replace")[:300], elapsed


def _together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in a thread of its own, released at once by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results


def _race_setup(sizes: dict[str, int], staff: list[dict[str, Any]]) -> dict[str, Any]:
    """One shelter left with exactly ``race_beds`` free adult beds; callers of other centers."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from cases.models import Case
    from shelters.models import Occupancy, Shelter
    from shelters.selectors import free_beds

    shelter = Shelter.objects.filter(organisation=staff[0]["organisation"]).order_by("name")[0]
    free = list(free_beds().filter(shelter=shelter, kind="adult").order_by("room__name", "label"))
    assert len(free) >= sizes["race_beds"], f"only {len(free)} free adult beds to race for"
    placed = Occupancy.objects.filter(ended_at__isnull=True).values("case_id")
    owner_cases = (
        Case.objects.filter(organisation=shelter.organisation)
        .exclude(status=Case.Status.CLOSED)
        .exclude(pk__in=placed)
    )
    fillers = list(owner_cases[: len(free) - sizes["race_beds"]])
    Occupancy.objects.bulk_create(
        Occupancy(
            bed=bed,
            case=case,
            kind=Occupancy.Kind.STAY,
            placed_by=staff[0]["manager"],
            admitted_on=timezone.localdate(),
        )
        for bed, case in zip(free[sizes["race_beds"] :], fillers, strict=True)
    )
    racing = {b.pk for b in free_beds().filter(shelter=shelter, kind="adult")}
    assert len(racing) == sizes["race_beds"], racing
    callers: list[tuple[str, str]] = []
    others = [s for s in staff if s["organisation"].pk != shelter.organisation_id]
    per = -(-sizes["race_requests"] // len(others))
    for member in others:
        token = Token.objects.get_or_create(user=member["caseworker"])[0].key
        cases = (
            Case.objects.filter(organisation=member["organisation"], is_restricted=False)
            .exclude(status=Case.Status.CLOSED)
            .exclude(pk__in=placed)
            .order_by("reference")[:per]
        )
        callers += [(token, str(case.pk)) for case in cases]
    callers = callers[: sizes["race_requests"]]
    assert len(callers) == sizes["race_requests"], "not enough open cases to race with"
    return {"shelter": shelter, "beds": racing, "callers": callers}


def _start_server(sizes: dict[str, int], log: Any) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter's gunicorn, fixed arguments
        [
            *(str(Path(sys.executable).with_name("gunicorn")), "crisis_ops.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"),
            *("--workers", str(sizes["server_workers"])),
            *("--threads", str(sizes["server_threads"]), "--backlog", "256"),
            *("--log-level", "warning", "--error-logfile", "-"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
            "DATABASE_URL": _url_of_database(),
        },
        stdout=log,
        stderr=log,
    )
    return server, f"http://127.0.0.1:{port}"


def _wait_until_up(base: str, token: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        status, _, _ = _request(f"{base}/api/v1/me", token)
        if status == 200:
            return
        time.sleep(0.1)
    raise TimeoutError("the server did not come up")


def measure_race(sizes: dict[str, int], staff: list[dict[str, Any]]) -> dict[str, Any]:
    from django.utils import timezone

    from bench.common import percentile
    from shelters.models import Occupancy

    setup = _race_setup(sizes, staff)
    shelter, callers = setup["shelter"], setup["callers"]
    with tempfile.TemporaryFile() as log:
        server, base = _start_server(sizes, log)
        try:
            _wait_until_up(base, callers[0][0], server)
            # Every worker thread opens its connection and loads the URLconf untimed.
            _together([lambda: _request(f"{base}/api/v1/me", callers[0][0])] * len(callers))
            start = time.perf_counter()
            results = _together(
                [
                    functools.partial(
                        _request,
                        f"{base}/api/v1/holds",
                        token,
                        {"case": case, "shelter": str(shelter.pk), "kind": "adult"},
                    )
                    for token, case in callers
                ]
            )
            wall = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
        log.seek(0)
        server_log = log.read().decode(errors="replace")
    statuses = Counter(status for status, _, _ in results)
    errors = [body for status, body, _ in results if status >= 500 or status == 0]
    odd_409 = [body for status, body, _ in results if status == 409 and body.get("detail") != TAKEN]
    holds = Occupancy.objects.filter(
        bed__shelter=shelter,
        kind=Occupancy.Kind.HOLD,
        ended_at__isnull=True,
        hold_expires_at__gt=timezone.now(),
        case_id__in=[case for _, case in callers],
    )
    latencies = [elapsed * 1000 for _, _, elapsed in results]
    figures: dict[str, Any] = {
        "race_requests": len(callers),
        "race_beds": len(setup["beds"]),
        "race_successes": statuses.get(201, 0),
        "race_409": statuses.get(409, 0),
        "race_5xx": sum(n for status, n in statuses.items() if status >= 500),
        "race_other": {str(s): n for s, n in statuses.items() if s not in (201, 409) and s < 500},
        "race_409_with_other_message": len(odd_409),
        "race_holds_in_db": holds.count(),
        "race_holds_on_distinct_beds": len({h.bed_id for h in holds}),
        "race_holds_on_the_free_beds": len({h.bed_id for h in holds} & setup["beds"]),
        "race_wall_ms": round(wall * 1000, 1),
        "race_request_p50_ms": round(percentile(latencies, 50), 1),
        "race_request_p95_ms": round(percentile(latencies, 95), 1),
        "race_server": f"gunicorn gthread, {sizes['server_workers']} workers × "
        f"{sizes['server_threads']} threads, a database connection per thread",
    }
    if errors or odd_409 or "Traceback" in server_log:
        figures["race_errors"] = (errors + odd_409)[:5]
        figures["race_server_log_tail"] = server_log[-3000:]
        print(server_log[-6000:], file=sys.stderr)
    return figures


# --- the run --------------------------------------------------------------------------------


def run(sizes: dict[str, int], output: Path | None = None) -> dict[str, Any]:
    from bench.common import write_results

    seeded = seed(sizes)
    staff = seeded.pop("staff")
    results: dict[str, Any] = {"sizes": sizes, **seeded}
    # Timings move with whatever else the machine runs: the load is written down with them.
    results["load_average_1m_before"] = round(os.getloadavg()[0], 2)
    results["cases_note"] = (
        "the board reads no case; cases exist for the stays and holds (and the race) only"
    )
    results.update(measure_board(staff[0]["caseworker"], sizes["requests"], sizes["warm_up"]))
    results["load_average_1m_after_board"] = round(os.getloadavg()[0], 2)
    results.update(measure_race(sizes, staff))
    results["targets"] = {
        "board_p95_ms_below": 100,
        "race_successes": "equal to race_beds",
        "race_5xx": 0,
    }
    results["targets_met"] = (
        results["board_p95_ms"] < 100
        and results["race_successes"] == results["race_beds"]
        and results["race_holds_in_db"] == results["race_beds"]
        and results["race_5xx"] == 0
    )
    write_results("shelters", results, output)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to prove it runs")
    args = parser.parse_args()
    from bench.cases import _collect_static_if_stale
    from bench.common import setup_django

    setup_django("crisis_ops_bench_shelters_smoke" if args.smoke else "crisis_ops_bench_shelters")
    _collect_static_if_stale()
    results = run(SMOKE if args.smoke else FULL)
    for key, value in results.items():
        if key not in ("sizes", "race_server_log_tail"):
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
