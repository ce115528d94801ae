"""make bench-pages: what each role's main pages weigh and how long they take on a weak link.

Seeds the demo data (seed_demo: three centers, one user per role, cases, orders, shelters)
in crisis_ops_bench_pages, then starts gunicorn on 127.0.0.1 with the production settings
(DEBUG off, WhiteNoise serving the collected, compressed, hashed files with their cache
headers, PostgreSQL, Redis) — what a caseworker's browser really talks to; the live test
server serves files through another path and no compression of its own, so its figures
would be a different site's. Only TLS is left out (plain HTTP on the loopback, no HSTS or
redirect): the bytes and round trips of the pages are the same.

Chromium (Debian's, through Playwright) at 360 px, each page under 400 ms latency and
400 kbit/s each way (a CDP session's Network.emulateNetworkConditions):

- cold: a fresh context (empty cache, signed in by cookie), the page loaded once;
- warm: the same page again in the same context (static files from the cache).

For each: ``kb`` (the sum of every response's encodedDataLength, from CDP
Network.loadingFinished: bytes on the wire, headers included) and ``load_s`` (navigation
start to the load event, from the page's Navigation Timing). And ``intake_step_s``: on the
intake, step 1 filled and autosaved, the time from the Next click to step 2 being shown.

Figures (bench/results/pages.json): per page, and ``cold_kb_max``, ``warm_load_s_max``,
``intake_step_s`` (targets: cold <= 150 KB, warm <= 1.0 s, intake step <= 1.5 s).

Run: python -m bench.pages [--smoke]. Only ever traffic to 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import common

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# 400 ms round trip and 400 kbit/s down and up (CDP takes bytes per second).
SLOW_LINK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 // 8,
    "uploadThroughput": 400_000 // 8,
}
# role -> (demo user, the pages she starts her day on)
ROLES = {
    "caseworker": ("aigerim", ["/", "/cases/"]),
    "supervisor": ("svetlana", ["/", "/cases/"]),
    "shelter_manager": ("gulnara", ["/", "/shelters/"]),
    "org_admin": ("erlan", ["/", "/organisations/staff/"]),
    "coordinator": ("dana", ["/", "/reports/"]),
}
FULL = {"rounds": 3, "pages_per_role": 2, "server_workers": 2, "server_threads": 4}
SMOKE = {"rounds": 1, "pages_per_role": 1, "server_workers": 1, "server_threads": 2}
TARGETS = {"cold_kb_max_at_most": 150, "warm_load_s_max_at_most": 1.0, "intake_step_s_at_most": 1.5}
ROOT = Path(__file__).resolve().parent.parent


def _server_environment() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    return {
        **keep,
        **common.database_environment(),
        "DJANGO_SETTINGS_MODULE": "crisis_ops.settings",
        "DEBUG": "0",
        # The sessions this process signs in are read by the server: the same key.
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def _start_server(sizes: dict[str, int], log: Any) -> tuple[subprocess.Popen[bytes], str]:
    port = common.free_port()
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *("-c", "python:crisis_ops.gunicorn", "crisis_ops.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"),
            *("--workers", str(sizes["server_workers"])),
            *("--threads", str(sizes["server_threads"]), "--timeout", "60"),
            *("--log-level", "warning", "--error-logfile", "-"),
        ],
        cwd=ROOT,
        env=_server_environment(),
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise TimeoutError("gunicorn did not come up")


def seed() -> dict[str, Any]:
    import io

    from django.core.management import call_command

    started = time.perf_counter()
    # The bench's own database: the demo users' printed password harms nothing here.
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    return {"seed_s": round(time.perf_counter() - started, 1)}


def _session_cookie(username: str, base: str) -> dict[str, str]:
    from django.conf import settings
    from django.test import Client

    from crisis_ops.accounts.models import User
    from tests.personas import sign_in

    client = sign_in(Client(), User.objects.get(username=username))
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": base}


class _Tab:
    """One page of a context under the slow link, counting the bytes that arrive."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        self.cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
        self.bytes = 0.0
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict[str, Any]) -> None:
        self.bytes += float(event.get("encodedDataLength", 0))

    def load(self, url: str) -> dict[str, float]:
        self.bytes = 0.0
        self.page.goto(url, wait_until="load")
        load_ms = self.page.evaluate(
            "() => performance.getEntriesByType('navigation')[0].loadEventEnd"
        )
        # Requests the load started may still be finishing (the icon): let them land.
        self.page.wait_for_load_state("networkidle")
        assert "/accounts/login" not in self.page.url, f"{url}: not signed in"
        return {"kb": round(self.bytes / 1024, 1), "load_s": round(load_ms / 1000, 3)}


def measure_pages(browser: Any, base: str, rounds: int, per_role: int) -> dict[str, Any]:
    pages: dict[str, Any] = {}
    for role, (username, paths) in ROLES.items():
        for path in paths[:per_role]:
            cold, warm = [], []
            for _ in range(rounds):
                context = browser.new_context(viewport={"width": 360, "height": 740})
                context.add_cookies([_session_cookie(username, base)])
                tab = _Tab(context)
                cold.append(tab.load(base + path))
                warm.append(tab.load(base + path))
                context.close()
            pages[f"{role} {path}"] = {"cold": _median(cold), "warm": _median(warm)}
    return pages


def _median(samples: list[dict[str, float]]) -> dict[str, float]:
    import statistics

    return {key: round(statistics.median(s[key] for s in samples), 3) for key in samples[0]}


def measure_intake_step(browser: Any, base: str, rounds: int) -> float:
    from cases.models import IntakeDraft
    from crisis_ops.organisations.models import Region

    region = Region.objects.order_by("code").first()
    assert region is not None
    samples = []
    for _ in range(rounds):
        IntakeDraft.objects.filter(author__username="aigerim").delete()
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
        context.add_cookies([_session_cookie("aigerim", base)])
        tab = _Tab(context)
        page = tab.page
        page.goto(f"{base}/cases/intake/?step=1", wait_until="load")
        page.fill("#id_full_name", "Бенч Айгерим")
        for name, value in (
            ("sex", "female"),
            ("age_band", "25-34"),
            ("region", str(region.pk)),
            ("disability", "none"),
        ):
            page.select_option(f"#id_{name}", value)
        page.wait_for_function(
            "() => document.getElementById('draft-status').textContent.trim() !== '' &&"
            " !document.getElementById('draft-status').textContent.includes('…')"
        )
        started = time.perf_counter()
        page.click("button[name=action][value=next]")
        page.wait_for_selector("#id_occurred_on", state="visible")
        samples.append(time.perf_counter() - started)
        context.close()
    import statistics

    return round(statistics.median(samples), 3)


def run(sizes: dict[str, int], output: Path | None = None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM between browser steps
    results: dict[str, Any] = {"sizes": sizes, **seed()}
    with tempfile.TemporaryFile() as log:
        server, base = _start_server(sizes, log)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                results["pages"] = measure_pages(
                    browser, base, sizes["rounds"], sizes["pages_per_role"]
                )
                results["intake_step_s"] = measure_intake_step(browser, base, sizes["rounds"])
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    pages = results["pages"].values()
    results["cold_kb_max"] = max(p["cold"]["kb"] for p in pages)
    results["cold_load_s_max"] = max(p["cold"]["load_s"] for p in pages)
    results["warm_kb_max"] = max(p["warm"]["kb"] for p in pages)
    results["warm_load_s_max"] = max(p["warm"]["load_s"] for p in pages)
    results["link"] = "400 ms latency, 400 kbit/s down and up (CDP emulation)"
    results["server"] = "gunicorn gthread, production settings without TLS, 127.0.0.1"
    results["targets"] = TARGETS
    common.write_results("pages", results, output)
    return results


def main() -> None:
    common.main(
        __doc__, database="crisis_ops_bench_pages", run=run, full=FULL, smoke=SMOKE, pages=True
    )


if __name__ == "__main__":
    main()
