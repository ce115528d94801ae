"""The quick exit is on every page, pointed at the configured neutral site, with its script
local, blocking in <head> (it must act before a page reached by Back is painted)."""

import re

import pytest

pytestmark = pytest.mark.django_db

HEAD_SCRIPT = re.compile(r'<script src="/static/js/quick-exit\.[0-9a-f]{12}\.js"></script>')


@pytest.mark.parametrize(
    "persona, path",
    [("anonymous", "/accounts/login/"), ("caseworker", "/"), ("caseworker", "/cases/")],
)
def test_every_page_has_the_quick_exit(client_for, settings, persona, path):
    settings.QUICK_EXIT_URL = "https://weather.example.org/?city=almaty&day=1"

    html = client_for(persona).get(path).content.decode()

    head = html.split("</head>")[0]
    assert HEAD_SCRIPT.search(head)
    assert (
        '<meta name="quick-exit" content="https://weather.example.org/?city=almaty&amp;day=1">'
        in head
    )
    assert re.search(
        r'<a class="quick-exit" href="https://weather\.example\.org/\?city=almaty&amp;day=1"'
        r' rel="noreferrer" data-quick-exit',
        html,
    )


def test_the_default_neutral_site_is_public_and_says_nothing(settings):
    assert settings.QUICK_EXIT_URL.startswith("https://")
    assert not re.search(r"crisis|violence|help|shelter", settings.QUICK_EXIT_URL, re.I)


@pytest.mark.parametrize("language, label", [("ru", "Быстрый выход"), ("kk", "Жылдам шығу")])
def test_the_button_speaks_her_language(client, language, label):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f">{label}</a>" in html
