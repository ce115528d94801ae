"""Final actions ask first and say what will happen; a plain hold leaves the special beds:
in Chromium at 360 px on a 400 ms / 400 kbit/s link (issue 12, "One tap, one record" and
"Defaults that do not lie")."""

import re

import pytest

from protection_orders.models import ProtectionOrder
from shelters.models import Bed, Occupancy
from tests.browser.factories import signed_in_page
from tests.browser.test_one_tap import _slow_link
from tests.cases.factories import intake
from tests.protection_orders.factories import record_order
from tests.shelters.factories import shelter_with_beds

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Суд отменил предписание по заявлению пострадавшей."


def test_revoking_an_order_asks_first_says_what_happens_and_records_her_reason(
    server_url, browser, personas
):
    case = intake(personas.caseworker, personas.center)
    order = record_order(personas.caseworker, case)
    page = signed_in_page(browser, server_url, personas.caseworker)
    _slow_link(page)

    page.goto(f"{server_url}/orders/{order.pk}/")
    page.locator("summary", has_text="Revoke this order").click()
    page.get_by_label("Why is the order revoked?").fill(REASON)
    page.get_by_role("button", name="Revoke this order").click()

    # The question, with what will happen, before anything changes.
    page.get_by_text("This is what will happen:").wait_for()
    assert "reminders stop" in page.locator(".consequences").inner_text()
    order.refresh_from_db()
    assert order.status == ProtectionOrder.Status.ACTIVE

    page.locator("form button.primary.danger").click()
    page.wait_for_url(re.compile(rf"/orders/{order.pk}/$"))
    order.refresh_from_db()
    assert order.status == ProtectionOrder.Status.REVOKED
    assert order.revoked_reason == REASON
    assert REASON in page.locator(".revoked-reason").inner_text()


def test_closing_a_case_can_be_cancelled_and_changes_nothing(server_url, browser, personas):
    case = intake(personas.caseworker, personas.center)
    page = signed_in_page(browser, server_url, personas.caseworker)
    _slow_link(page)

    page.goto(f"{server_url}/cases/{case.pk}/")
    form = page.locator("form[action$='/status/']")
    form.get_by_label("Status").select_option("closed")
    form.get_by_label("Reason for closing").select_option("resolved")
    form.get_by_role("button", name="Change status").click()

    page.get_by_text("This is what will happen:").wait_for()
    assert "It can be reopened later" in page.locator(".consequences").inner_text()
    assert case.reference in page.locator("main").inner_text()
    page.get_by_role("link", name="Cancel, change nothing").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    case.refresh_from_db()
    assert case.status == "open"


def test_a_plain_hold_from_the_page_leaves_the_accessible_and_isolation_beds_free(
    server_url, browser, personas
):
    shelter = shelter_with_beds(personas.center, beds=3)
    Bed.objects.filter(shelter=shelter, label="1").update(wheelchair_accessible=True)
    Bed.objects.filter(shelter=shelter, label="2").update(isolation=True)
    case = intake(personas.caseworker_other_center, personas.other_center)
    page = signed_in_page(browser, server_url, personas.caseworker_other_center)
    _slow_link(page)

    page.goto(f"{server_url}/shelters/{shelter.pk}/hold/")
    page.get_by_label(re.compile(r"^Case:?$")).select_option(str(case.pk))
    page.get_by_label("Bed kind").select_option("adult")
    page.get_by_role("button", name="Hold the bed").click()
    page.wait_for_url(re.compile(r"/shelters/holds/$"))

    (hold,) = Occupancy.objects.filter(case=case, ended_at__isnull=True)
    assert hold.bed.label == "3"
    assert "Room 1, bed 3" in page.locator("main").inner_text()
