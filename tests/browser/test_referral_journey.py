"""Center A refers a survivor to center B with identity and risk band only; B accepts and
sees exactly that; A's caseworker revokes the consent; B can no longer open it."""

import re

import pytest

from referrals.models import Referral
from tests.browser.factories import signed_in_page
from tests.cases.factories import intake
from tests.referrals.factories import center_partner

pytestmark = pytest.mark.browser

SCOPE = "Referral to another crisis center"


def test_refer_accept_see_only_shared_parts_then_revoke(server_url, browser, personas, artifacts):
    case = intake(personas.caseworker, personas.center)
    center_partner(personas.other_center)
    survivor = case.survivor
    a = signed_in_page(browser, server_url, personas.caseworker)

    a.goto(f"{server_url}/cases/{case.id}/")
    a.get_by_text("Record a consent").click()
    a.get_by_label("Consent to").select_option(label=SCOPE)
    a.get_by_label("Identity").check()
    a.get_by_label("Risk band").check()
    a.locator("form[action$='/consents/'] button[type=submit]").click()
    a.wait_for_selector(f"li:has-text('{SCOPE}')")

    a.get_by_role("link", name="Refer", exact=True).click()
    a.wait_for_url(re.compile(r"/referrals/cases/"))
    a.get_by_label("Partner").select_option(label="Center B")
    a.get_by_label("Purpose").select_option("case_management")
    a.get_by_label("Identity").check()
    a.get_by_label("Risk band").check()
    a.get_by_label("How it goes out").select_option("in_app")
    a.get_by_role("button", name="Send the referral").click()
    a.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    referral = Referral.objects.get()
    assert referral.parts == ["identity", "risk_band"]

    b = signed_in_page(browser, server_url, personas.caseworker_other_center)
    b.goto(f"{server_url}/referrals/")
    b.get_by_role("link", name=referral.reference).click()
    b.get_by_role("button", name="Accept").click()
    b.wait_for_selector("[data-part='identity']")
    shared = b.content()
    b.screenshot(path=str(artifacts / "referral-accepted.png"), full_page=True)
    assert survivor.full_name in shared and 'data-part="risk_band"' in shared
    for hidden in (survivor.phone, survivor.address, survivor.safe_contact, "Он ударил"):
        assert hidden not in shared
    assert 'data-part="contact"' not in shared and 'data-part="incident_summary"' not in shared
    assert b.goto(f"{server_url}/cases/{case.id}/").status == 404

    a.goto(f"{server_url}/cases/{case.id}/")
    a.locator(f"li:has-text('{SCOPE}')").get_by_role("button", name="Revoke").click()
    a.wait_for_selector(f"li:has-text('{SCOPE}') .badge")

    b.goto(f"{server_url}/referrals/{referral.id}/")
    after = b.content()
    assert "The consent was revoked" in after and survivor.full_name not in after
