import re

import pytest

from tests.browser.factories import no_sideways_scroll
from tests.factories import PASSWORD
from tests.totp import current_code

pytestmark = pytest.mark.browser


def test_caseworker_signs_in_with_a_code_and_switches_to_kazakh(
    server_url, page, personas, artifacts
):
    personas.caseworker.language = "en"
    personas.caseworker.save()
    device = personas.caseworker.totpdevice_set.get()

    page.goto(f"{server_url}/")
    assert "/accounts/login/" in page.url
    assert no_sideways_scroll(page)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    page.get_by_label(re.compile("Six-digit code")).fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"{server_url}/")
    assert page.locator("#card-caseworker").is_visible()
    assert no_sideways_scroll(page)

    page.get_by_role("button", name="Қазақ").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("#card-caseworker").is_visible()
    assert "My cases" not in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "sign-in-journey-kk.png"), full_page=True)
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.language == "kk"
