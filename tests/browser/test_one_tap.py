"""One tap, one record, in Chromium at 360 px on a slow link: a second tap 300 ms after the
first, while the first request is still on its way, makes no second record and lands her
on the record the first one made. With JavaScript off the browser really sends both
requests, so that run shows the server's idempotency key doing the work on its own."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from cases.models import Case, IntakeDraft
from shelters.models import Occupancy
from tests.browser.factories import signed_in_page
from tests.cases.factories import intake
from tests.factories import region
from tests.personas import sign_in
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.browser

BOTH = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def _page(browser, server_url, user, *, javascript):
    return signed_in_page(browser, server_url, user, java_script_enabled=javascript)


def _slow_link(page):
    """400 ms each way and 400 kbit/s, as the field test: the first request is still in
    flight when the second tap comes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 400,
            "downloadThroughput": 50_000,
            "uploadThroughput": 50_000,
        },
    )


def _double_tap(page, button):
    """Two taps 300 ms apart (the 300 ms is what is tested, not a wait for something)."""
    _slow_link(page)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The mouse, not locator.click(): a locator waits for the first navigation to end,
    # and a finger does not.
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def _landed(page, url):
    """Where she lands once every navigation the taps started has ended (the second tap
    can abort the first's, so "the URL matched" alone is not the end)."""
    for _attempt in range(5):
        try:
            page.wait_for_load_state("networkidle")
            page.wait_for_url(url)
            return
        except PlaywrightError as error:
            if "ERR_ABORTED" not in str(error) and "navigating" not in str(error):
                raise
    raise AssertionError(f"never settled on {url.pattern}")


@BOTH
def test_a_double_tap_on_hold_the_bed_holds_one_bed(server_url, browser, personas, javascript):
    shelter = shelter_with_beds(personas.center, beds=3)
    case = intake(personas.caseworker_other_center, personas.other_center)
    page = _page(browser, server_url, personas.caseworker_other_center, javascript=javascript)
    page.goto(f"{server_url}/shelters/{shelter.pk}/hold/?case={case.pk}")
    page.get_by_label("Bed kind").select_option("adult")

    _double_tap(page, page.get_by_role("button", name="Hold the bed"))

    _landed(page, re.compile(r"/shelters/holds/$"))
    assert Occupancy.objects.filter(case=case, kind="hold").count() == 1
    assert "is held for you until" in page.content()
    page.context.close()


@BOTH
def test_a_double_tap_on_save_note_saves_one_note(server_url, browser, personas, javascript):
    case = intake(personas.caseworker, personas.center)
    page = _page(browser, server_url, personas.caseworker, javascript=javascript)
    page.goto(f"{server_url}/cases/{case.pk}/")
    page.get_by_label("Note").fill("Позвонила, всё спокойно.")

    _double_tap(page, page.get_by_role("button", name="Save note"))

    _landed(page, re.compile(rf"/cases/{case.pk}/$"))
    assert case.notes.count() == 1
    assert page.content().count("Позвонила, всё спокойно.") == 1
    page.context.close()


def _intake_up_to_the_last_step(user):
    client = sign_in(Client(), user)
    url = reverse("cases:intake")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    steps: list[dict[str, Any]] = [
        {
            "step": "1",
            "full_name": "Гульмира Тестова",
            "phone": "+7 705 111 22 33",
            "birth_date": "1988-04-02",
            "sex": "female",
            "age_band": "35-44",
            "disability": "none",
            "region": str(region("almaty-city").pk),
        },
        {
            "step": "2",
            "occurred_on": yesterday,
            "violence_types": ["physical"],
            "gbvims_class": "physical_assault",
            "relationship": "former_spouse",
        },
        {"step": "3", "q1": "on"},
    ]
    for step in steps:
        assert client.post(url, {**step, "action": "next"}).status_code == 302


@BOTH
def test_a_double_tap_on_finish_opens_one_case_and_lands_on_it(
    server_url, browser, personas, javascript
):
    _intake_up_to_the_last_step(personas.caseworker)
    page = _page(browser, server_url, personas.caseworker, javascript=javascript)
    page.goto(f"{server_url}/cases/intake/")
    page.get_by_label("How she came to us").select_option("hotline_150")
    page.get_by_label("Services of this center").check()

    _double_tap(page, page.get_by_role("button", name="Open the case"))

    _landed(page, re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case = Case.objects.get()
    assert case.reference in page.content()
    assert "This field is required" not in page.content()
    assert not IntakeDraft.objects.exists()
    page.context.close()
