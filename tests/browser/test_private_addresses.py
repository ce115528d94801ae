"""Nothing personal in an address, in Chromium at 360 px: a search by IIN and the intake's
duplicate check send what was typed in a POST body; no address the tab visits, pushes or
requests carries it; Back to the results still shows them; htmx keeps no copy of the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.factories import signed_in_page
from tests.cases.factories import intake

pytestmark = pytest.mark.browser

PHONE = "+7 705 111 22 33"


def _page(browser, server_url, user):
    page = signed_in_page(browser, server_url, user)
    page.addresses = []
    page.on("request", lambda r: page.addresses.append((r.method, r.url)))
    page.on("framenavigated", lambda f: page.addresses.append(("NAV", f.url)))
    return page


def _nowhere(page, *secrets):
    for secret in secrets:
        assert not [a for a in page.addresses if secret in a[1]], secret
        assert secret not in page.url
    stored = page.evaluate("() => JSON.stringify([{...sessionStorage}, {...localStorage}])")
    assert "htmx-history-cache" not in stored


def test_a_search_by_iin_leaves_it_in_no_address(server_url, browser, personas):
    case = intake(personas.caseworker, personas.center, survivor={"phone": PHONE})
    iin = case.survivor.iin
    page = _page(browser, server_url, personas.caseworker)
    page.goto(f"{server_url}/cases/")
    results = page.locator("#results")

    page.get_by_label("IIN, phone or name").fill(iin)
    with page.expect_request(lambda r: r.url == f"{server_url}/cases/") as search:
        page.get_by_role("button", name="Search").click()

    assert search.value.method == "POST" and iin in (search.value.post_data or "")
    expect(results).to_contain_text("1 case found by the search.")
    expect(page).to_have_url(re.compile(r"/cases/\?found=[\w-]+$"))
    _nowhere(page, iin, iin[:6])

    # Back and forward still work: the case, then back to the same results.
    page.locator(f"a[href='/cases/{case.pk}/']").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    page.go_back()
    expect(page.locator("#results")).to_contain_text(case.reference)
    expect(page.locator("#results")).to_contain_text("1 case found by the search.")
    _nowhere(page, iin, iin[:6])
    page.context.close()


def test_the_duplicate_check_sends_the_iin_and_phone_in_the_body(server_url, browser, personas):
    known = intake(personas.caseworker, personas.center, survivor={"phone": PHONE})
    page = _page(browser, server_url, personas.caseworker)
    page.goto(f"{server_url}/cases/intake/")

    page.get_by_label("IIN").fill(known.survivor.iin)
    with page.expect_request(re.compile(r"/cases/intake/duplicates/$")) as check:
        page.get_by_label("Phone").fill("8 705 111 22 33")
        page.get_by_label("Full name").focus()  # the change event

    expect(page.locator("#duplicates")).to_contain_text("Possible duplicate")
    assert check.value.method == "POST"
    assert set(re.findall(r"(\w+)=", check.value.post_data or "")) == {"iin", "phone"}
    _nowhere(page, known.survivor.iin, "7051112233", "705 111", "705%20111")
    page.context.close()
