"""A surname alone finds her, in Chromium at 360 px: the case list's search box, one word."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.cases.factories import intake
from tests.personas import sign_in

pytestmark = pytest.mark.browser


def test_a_surname_alone_finds_her_and_a_part_of_it_does_not(server_url, browser, personas):
    wanted = intake(
        personas.caseworker, personas.center, survivor={"full_name": "Сейтқали Айгерим Болатқызы"}
    )
    other = intake(personas.caseworker, personas.center, survivor={"full_name": "Айгерим Бекова"})
    client = sign_in(Client(), personas.caseworker)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server_url}]
    )
    page = context.new_page()
    page.goto(f"{server_url}/cases/")
    results = page.locator("#results")
    search = page.get_by_label("IIN, phone or name")

    search.fill("сейткали")  # typed on a Russian keyboard, lower case
    search.press("Enter")

    expect(results).to_contain_text(wanted.reference)
    expect(results).not_to_contain_text(other.reference)

    search.fill("Сейт")
    search.press("Enter")

    expect(results).to_contain_text("No cases match.")
    context.close()
