"""make bench-load: the whole application under a center's working day, driven by locust.

Seeds bench-shelters' data (centers, cases, 40 shelters of 50 beds; cases kept between
runs, shelters reseeded) with the staff of bench/load_seed.py, then starts what
docs/operations.md deploys, on 127.0.0.1 only: gunicorn (gthread, the production settings,
DEBUG off, BEHIND_TLS_PROXY=1, PostgreSQL, Redis) and one Celery worker, and runs
bench/locustfile.py headless against it: ``users`` simulated staff (caseworkers, open
board tabs, shelter managers, a coordinator now and then) for ``seconds``, every one
signing in through the password and TOTP pages first.

Figures (bench/results/load.json): load_users, load_rps, load_p95_ms, load_errors (5xx
or dropped connections) over the working requests, and the same per kind of request;
sign-in is reported as its own kind (PBKDF2 by design; each user signs in once).

Run: python -m bench.load [--smoke]. Only ever traffic to 127.0.0.1; bounded by --seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from bench import common

FULL = {
    "organisations": 8,
    "shelters": 40,
    "rooms_per_shelter": 5,
    "beds_per_room": 10,
    "cases": 20_000,
    "history_per_bed": 2,
    "caseworkers_per_center": 5,
    "users": 50,
    # A center's staff arrive over the first minute, not all within ten seconds: each
    # sign-in hashes a password (PBKDF2, ~0.4 s of a core), and 50 at once is no workday.
    "spawn_rate": 1,
    "seconds": 180,
    "server_workers": 2,
    "server_threads": 8,
}
SMOKE = {
    **FULL,
    "organisations": 2,
    "shelters": 4,
    "rooms_per_shelter": 2,
    "beds_per_room": 4,
    "cases": 60,
    "history_per_bed": 1,
    "caseworkers_per_center": 2,
    "users": 4,
    "spawn_rate": 4,
    "seconds": 12,
    "server_workers": 1,
    "server_threads": 4,
}
ROOT = Path(__file__).resolve().parent.parent
SIGN_IN = "sign_in"


def _environment(queue: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "SECURE_"))
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "BENCH_QUEUE": queue,
        "DEBUG": "0",
        "SECRET_KEY": "bench-load-only-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
        "PROXY_COUNT": "1",
        # The client speaks plain HTTP to the loopback where the TLS proxy would: a browser
        # behind the proxy gets Secure cookies, which an HTTP client would not send back.
        "SECURE_COOKIES": "0",
        **common.database_environment(),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def _start(sizes: dict[str, int], env: dict[str, str], log: Any) -> tuple[list[Any], str]:
    port = common.free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, fixed arguments
        [
            str(bin_dir / "gunicorn"),
            *("-c", "python:crisis_ops.gunicorn", "crisis_ops.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"),
            *("--workers", str(sizes["server_workers"])),
            *("--threads", str(sizes["server_threads"]), "--timeout", "60"),
            *("--log-level", "warning", "--error-logfile", "-"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    worker = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "celery", "-A", "crisis_ops", "worker", "--concurrency=1"),
            *("-Q", env["BENCH_QUEUE"], "--without-heartbeat", "--without-mingle"),
            *("--without-gossip", "-l", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    return [server, worker], f"http://127.0.0.1:{port}"


def _wait_until_up(base: str, server: Any) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError("gunicorn did not come up")


def _stop(processes: list[Any]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _figures(samples: list[float], errors: int, seconds: float) -> dict[str, Any]:
    from bench.common import percentile

    return {
        "requests": len(samples),
        "rps": round(len(samples) / seconds, 2),
        "p50_ms": round(percentile(samples, 50), 1) if samples else None,
        "p95_ms": round(percentile(samples, 95), 1) if samples else None,
        "max_ms": round(max(samples), 1) if samples else None,
        "errors": errors,
    }


def summarise(raw: dict[str, Any], users: int, seconds: float) -> dict[str, Any]:
    samples, errors = raw["samples"], raw["errors"]
    working = [t for name, values in samples.items() if name != SIGN_IN for t in values]
    overall = _figures(working, sum(n for k, n in errors.items() if k != SIGN_IN), seconds)
    return {
        "load_users": users,
        "load_seconds": seconds,
        "load_rps": overall["rps"],
        "load_p50_ms": overall["p50_ms"],
        "load_p95_ms": overall["p95_ms"],
        "load_errors": sum(errors.values()),
        "error_examples": raw.get("error_examples", []),
        "load_unexpected": sum(len(v) for v in raw["unexpected"].values()),
        "unexpected_examples": [v[0] for v in raw["unexpected"].values() if v][:10],
        "by_kind": {
            name: _figures(values, errors.get(name, 0), seconds)
            for name, values in sorted(samples.items())
        },
    }


def run(sizes: dict[str, int], output: Path | None = None) -> dict[str, Any]:
    from bench.common import write_results
    from bench.load_seed import PASSWORD, accounts
    from bench.shelters_seed import seed

    seeded = seed(sizes)
    people = accounts(seeded["staff"], sizes["caseworkers_per_center"])
    split = len(people["caseworker"]) * 7 // 10
    people["board"] = people["caseworker"][split:]
    people["caseworker"] = people["caseworker"][:split]
    queue = f"bench-load-{uuid.uuid4().hex[:8]}"
    env = _environment(queue)
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as log:
        accounts_file, out = Path(scratch) / "accounts.json", Path(scratch) / "raw.json"
        accounts_file.write_text(json.dumps(people), encoding="utf-8")
        processes, base = _start(sizes, env, log)
        try:
            _wait_until_up(base, processes[0])
            locust = subprocess.run(  # noqa: S603
                [
                    str(Path(sys.executable).parent / "locust"),
                    *("-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                    *("--host", base, "-u", str(sizes["users"]), "-r", str(sizes["spawn_rate"])),
                    *("-t", f"{sizes['seconds']}s", "--stop-timeout", "10", "--only-summary"),
                    *("--loglevel", "WARNING", "--exit-code-on-error", "0"),
                ],
                cwd=ROOT,
                env={
                    **env,
                    "BENCH_LOAD_ACCOUNTS": str(accounts_file),
                    "BENCH_LOAD_PASSWORD": PASSWORD,
                    "BENCH_LOAD_OUT": str(out),
                },
                capture_output=True,
                text=True,
                timeout=sizes["seconds"] + 120,
                check=False,
            )
        finally:
            _stop(processes)
        log.seek(0)
        server_log = log.read().decode(errors="replace")
        if not out.exists():
            raise RuntimeError(f"locust wrote nothing:\n{locust.stderr[-3000:]}\n{server_log}")
        raw = json.loads(out.read_text(encoding="utf-8"))
    results = {
        "sizes": sizes,
        **summarise(raw, sizes["users"], sizes["seconds"]),
        "cases": seeded["cases"],
        "shelters": seeded.get("shelters"),
        "server": f"gunicorn gthread, {sizes['server_workers']} workers × "
        f"{sizes['server_threads']} threads; one Celery worker; same 2-core machine as locust",
        "server_errors_logged": server_log.count("Traceback"),
        "targets": {"load_errors": 0, "load_p95_ms_below": 500},
    }
    write_results("load", results, output)
    return results


def main() -> None:
    results = common.main(
        __doc__,
        database="crisis_ops_bench_load",
        run=run,
        full=FULL,
        smoke=SMOKE,
        quiet=("sizes", "by_kind"),
    )
    for name, figures in results["by_kind"].items():
        print(f"  {name}: {figures}")


if __name__ == "__main__":
    main()
