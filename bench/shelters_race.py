"""bench-shelters' race: a real gunicorn, as deployed, and many caseworkers of other
centers POSTing /api/v1/holds at once for the last free beds of one shelter."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import database_environment, free_port

ROOT = Path(__file__).resolve().parent.parent
TAKEN = "This bed was just taken. Choose another one."


# --- the race -------------------------------------------------------------------------------


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

    from cases.models import Case
    from crisis_ops.accounts.tokens import api_token_create
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
        token = api_token_create(user=member["caseworker"], name="bench", scope="write")[1]
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
    port = free_port()
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
            **database_environment(),
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
