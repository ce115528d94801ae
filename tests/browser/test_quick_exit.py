"""Quick exit on a shared computer, in Chromium at 360 px: the button and Escape twice put a
neutral site in the tab, Back does not bring the case file again, and she is still signed in
when she opens the site on purpose. The neutral site is answered by the test (page.route),
so no internet is needed."""

from __future__ import annotations

import datetime
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.factories import signed_in_page
from tests.cases.factories import intake

pytestmark = pytest.mark.browser

NEUTRAL = "https://weather.example.org/almaty"
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture
def neutral_site(settings):
    settings.QUICK_EXIT_URL = NEUTRAL


def _page(browser, server_url, user):
    page = signed_in_page(browser, server_url, user)
    page.referers = []

    def weather(route):
        page.referers.append(route.request.headers.get("referer"))
        route.fulfill(content_type="text/html", body="<!doctype html><title>Weather</title>")

    page.context.route(re.compile(r"^https://weather\.example\.org/"), weather)
    page.visited = []
    page.on("framenavigated", lambda f: page.visited.append(f.url) if f == page.main_frame else 0)
    return page


def _to_the_case_page(page, server_url, case):
    """Three entries in the tab's history: the dashboard, the case list, the case."""
    page.goto(f"{server_url}/")
    page.get_by_role("link", name="Cases", exact=True).first.click()
    page.wait_for_url(re.compile(r"/cases/$"))
    page.locator(f"a[href='/cases/{case.pk}/']").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))


def _back_never_shows_her_file(page, server_url, case):
    left_at = len(page.visited)
    for _ in range(2):  # back to the case list, then to the dashboard
        with page.expect_navigation(url=NEUTRAL):
            page.evaluate("() => history.back()")
    assert page.url == NEUTRAL
    came_back = page.visited[left_at:]
    assert f"{server_url}/cases/{case.pk}/" not in came_back
    assert came_back.count(NEUTRAL) >= 2  # each page reached by Back left again at once


def _still_signed_in(page, server_url):
    page.goto(f"{server_url}/cases/")  # typed on purpose: the site opens as usual
    assert page.url == f"{server_url}/cases/"
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()


def test_the_button_leaves_for_the_neutral_site_and_back_does_not_return(
    neutral_site, server_url, browser, personas
):
    case = intake(personas.caseworker, personas.center)
    page = _page(browser, server_url, personas.caseworker)
    _to_the_case_page(page, server_url, case)
    button = page.get_by_role("link", name="Quick exit")
    expect(button).to_be_in_viewport()
    entries = page.evaluate("() => history.length")

    button.click()

    page.wait_for_url(NEUTRAL)
    assert page.referers == [None]  # the neutral site is not told where she came from
    assert page.evaluate("() => history.length") == entries  # her page's entry was replaced
    _back_never_shows_her_file(page, server_url, case)
    _still_signed_in(page, server_url)
    page.context.close()


def test_escape_twice_leaves_too(neutral_site, server_url, browser, personas):
    case = intake(personas.caseworker, personas.center)
    page = _page(browser, server_url, personas.caseworker)
    _to_the_case_page(page, server_url, case)
    page.get_by_label("New note").click()  # typing in a field: Escape still counts

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")

    page.wait_for_url(NEUTRAL)
    _back_never_shows_her_file(page, server_url, case)
    _still_signed_in(page, server_url)
    page.context.close()


def test_one_escape_closes_a_dialog_and_stays_and_two_far_apart_stay_too(
    neutral_site, server_url, browser, personas
):
    with time_machine.travel(START, tick=False) as clock:
        case = intake(personas.caseworker, personas.center)
        page = _page(browser, server_url, personas.caseworker)
        page.clock.install(time=START - timedelta(seconds=1))
        page.clock.pause_at(START)
        page.goto(f"{server_url}/cases/{case.pk}/")
        clock.shift(timedelta(minutes=13, seconds=1))
        page.clock.fast_forward("13:01")
        dialog = page.locator("#idle-dialog")
        expect(dialog).to_be_visible()

        page.keyboard.press("Escape")

        expect(dialog).to_be_hidden()
        page.clock.fast_forward(1500)
        page.keyboard.press("Escape")  # a second Escape, but 1.5 s after the first
        page.clock.fast_forward(1500)
        assert page.url == f"{server_url}/cases/{case.pk}/"
        assert NEUTRAL not in page.visited
        page.context.close()


def test_the_button_is_in_reach_and_covers_nothing_at_the_end_of_a_page(
    neutral_site, server_url, browser, personas
):
    case = intake(personas.caseworker, personas.center)
    page = _page(browser, server_url, personas.caseworker)
    page.goto(f"{server_url}/cases/{case.pk}/")
    button = page.get_by_role("link", name="Quick exit")

    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")

    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('[data-quick-exit]') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top  # nothing covers the button
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] <= box["y"]  # and it covers nothing at the end
    assert box["height"] >= 44  # a thumb's target
    page.context.close()
