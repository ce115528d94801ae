"""Helpers the browser journeys share."""

import re
from typing import Any

from django.test import Client

from tests.personas import sign_in

PHONE = {"width": 360, "height": 740}


def signed_in_context(browser: Any, server_url: str, user: Any, **options: Any) -> Any:
    """A browser context (360 px, English, unless ``options`` say otherwise) carrying the
    session of a user who passed both factors."""
    client = sign_in(Client(), user)
    context = browser.new_context(**{"viewport": PHONE, "locale": "en-US", **options})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server_url}]
    )
    return context


def signed_in_page(browser: Any, server_url: str, user: Any, **options: Any) -> Any:
    """A page of :func:`signed_in_context`."""
    return signed_in_context(browser, server_url, user, **options).new_page()


def no_sideways_scroll(page: Any) -> bool:
    """The page fits the phone's width: nothing to scroll sideways to."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


# --- the intake, steps 2 to 4 -------------------------------------------------------------


def fill_the_incident(page: Any, *, day: str) -> None:
    """Step 2: a physical assault by her spouse on ``day`` (ISO), with what happened."""
    page.get_by_label("Date of the incident").fill(day)
    page.get_by_label("Physical").check()
    page.get_by_label("GBVIMS class").select_option("physical_assault")
    page.get_by_label("Relationship to the perpetrator").select_option("spouse")
    page.get_by_label("What happened").fill("Ударил при детях.")


def open_the_case_from_step_2(page: Any) -> None:
    """Next from step 2, the first risk question yes, a hotline call with consent to the
    center's services, and the case opened: the page is the new case's."""
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"step=3"))
    page.get_by_label(re.compile(r"^1\. ")).check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"step=4"))
    page.get_by_label("How she came to us").select_option("hotline_150")
    page.get_by_label("Services of this center").check()
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
