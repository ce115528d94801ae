"""The first load of a page stays light for a weak rural mobile connection."""

import gzip
import re

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 150 * 1024
ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def wire_size(client, path: str) -> int:
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200, path
    body = response.getvalue() if response.streaming else response.content
    return len(body)


@pytest.mark.parametrize(
    "persona, path",
    [
        ("anonymous", "/accounts/login/"),
        ("caseworker", "/"),
        ("org_admin", "/organisations/staff/"),
    ],
)
def test_first_load_is_under_150_kb(client_for, persona, path):
    client = client_for(persona)
    page = client.get(path)
    html = page.content
    assets = ASSET.findall(html.decode())
    assert assets, "the page should load its CSS and scripts from /static/"

    total = len(gzip.compress(html)) + sum(wire_size(client, asset) for asset in assets)

    assert total < BUDGET_BYTES


def test_static_files_have_hashed_names_and_long_cache(client):
    html = client.get("/accounts/login/").content.decode()
    css = next(a for a in ASSET.findall(html) if a.endswith(".css"))
    assert re.search(r"\.[0-9a-f]{12}\.css$", css)

    response = client.get(css, HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] in {"gzip", "br"}
    assert "immutable" in response["Cache-Control"]
    assert f"max-age={settings.WHITENOISE_MAX_AGE}" in response["Cache-Control"]


def test_htmx_is_served_locally(client):
    html = client.get("/accounts/login/").content.decode()

    assert re.search(r'src="/static/vendor/htmx\.min\.[0-9a-f]{12}\.js"', html)
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_make_run_collects_static_first():
    makefile = (settings.BASE_DIR / "Makefile").read_text()

    assert re.search(r"^run: .*\bstatic\b", makefile, re.MULTILINE)


def test_make_run_serves_scripts_compressed(settings):
    # make run: DEBUG on, pages link the unhashed names; WhiteNoise must still answer from
    # the collected (compressed) files, not from the sources.
    settings.DEBUG = True
    client = Client()
    html = client.get("/accounts/login/").content.decode()
    script = next(a for a in ASSET.findall(html) if a.endswith(".js"))

    response = client.get(script, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    body = response.getvalue()
    assert gzip.decompress(body)


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header


def test_pages_link_an_icon(client):
    html = client.get("/accounts/login/").content.decode()
    icon = re.search(r'<link rel="icon" href="(/static/img/favicon\.[0-9a-f]{12}\.svg)"', html)

    assert icon
    assert client.get(icon.group(1)).status_code == 200


def test_pages_are_sent_compressed(client_for):
    response = client_for("caseworker").get("/cases/", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<!DOCTYPE html>" in gzip.decompress(response.content)
