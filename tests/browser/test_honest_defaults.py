"""Defaults that do not lie, in Chromium at 360 px: what the caseworker did not choose
shows as "— choose —", required fields say so, and an IIN that disagrees with the birth
date typed is flagged before the case exists."""

import datetime
import re

import pytest

from crisis_ops.encryption.normalise import build_iin
from shelters import services_placements
from tests.browser.factories import signed_in_page
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.browser


def _shown(page, label):
    """The text a select shows, as she sees it."""
    return page.get_by_label(label).evaluate("s => s.options[s.selectedIndex].text")


def test_the_intake_starts_with_nothing_chosen_and_says_what_is_required(
    server_url, browser, personas
):
    page = signed_in_page(browser, server_url, personas.caseworker)
    page.goto(f"{server_url}/cases/intake/")

    for label in ("Sex", "Age band", "Region", "Disability"):
        assert _shown(page, label) == "— choose —", label
    assert page.locator(".required-note").first.is_visible()

    page.get_by_label("Full name").fill("Айгуль Тест")
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()
    assert "step=2" not in page.url
    assert page.get_by_text("This field is required").count() >= 4

    page.goto(f"{server_url}/cases/intake/?step=2")
    for label in ("GBVIMS class", "Relationship to the perpetrator"):
        assert _shown(page, label) == "— choose —", label
    page.context.close()


def test_an_iin_that_disagrees_with_the_birth_date_is_flagged(server_url, browser, personas):
    page = signed_in_page(browser, server_url, personas.caseworker)
    page.goto(f"{server_url}/cases/intake/")
    page.get_by_label("Full name").fill("Айгуль Тест")
    page.get_by_label("IIN").fill(build_iin(datetime.date(1990, 3, 14), female=True, serial=7))
    page.get_by_label("Birth date").fill("1991-03-14")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Age band").select_option("35-44")
    page.get_by_label("Region").select_option(label="Almaty")
    page.get_by_label("Disability").select_option("none")

    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()

    assert "step=2" not in page.url
    assert page.get_by_text(re.compile(r"The IIN says she was born on 14\.03\.1990")).is_visible()
    page.context.close()


def test_the_discharge_outcome_is_not_chosen_for_her(server_url, browser, personas):
    shelter = shelter_with_beds(personas.center, beds=1)
    case = intake(personas.caseworker, personas.center)
    services_placements.stay_admit(
        actor=personas.shelter_manager, bed=shelter.beds.get(), case=case
    )
    page = signed_in_page(browser, server_url, personas.shelter_manager)
    page.goto(f"{server_url}/shelters/{shelter.pk}/")
    page.get_by_text("Discharge", exact=True).first.click()

    assert _shown(page, "Outcome") == "— choose —"
    page.context.close()
