"""`make run` in Chromium at 360 px: scripts and styles arrive compressed and the tab has an
icon (no 404 for /favicon.ico on a fresh load). The live server runs with DEBUG on, as
`make run` does, which is where WhiteNoise used to hand out the uncompressed sources."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def as_make_run(settings):
    """Before the server starts: its middleware reads DEBUG once, at start."""
    settings.DEBUG = True


def test_make_run_sends_compressed_assets_and_an_icon(as_make_run, server_url, page):
    assets = []
    page.on(
        "response",
        lambda r: assets.append(r) if "/static/" in r.url or "favicon" in r.url else None,
    )

    page.goto(f"{server_url}/accounts/login/")
    page.wait_for_load_state("load")

    scripts = [r for r in assets if r.url.endswith((".js", ".css"))]
    assert scripts, "the login page loads its CSS and scripts"
    plain = [(r.url, r.headers.get("content-encoding")) for r in scripts]
    assert all(encoding in {"br", "gzip"} for _, encoding in plain), plain
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{server_url}{icon}").status == 200
    favicon = page.request.get(f"{server_url}/favicon.ico")
    assert favicon.status == 200
    assert favicon.headers["content-type"] == "image/x-icon"
    assert not [r.url for r in assets if r.status >= 400]
