"""Issue 12, "Small things seen", in Chromium at 360 px: "Active" said per thing in Russian,
a bed named by its room and its number, Kazakh role labels that wrap between words, and a
header that leaves the phone's screen to the page."""

import pytest
from django.test import Client

from cases import services as case_services
from tests.cases.factories import intake
from tests.personas import sign_in
from tests.protection_orders.factories import record_order

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def signed_in(browser, server_url, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client = sign_in(Client(), user)
    context = browser.new_context(viewport=PHONE, locale="en-US")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server_url}]
    )
    return context.new_page()


def test_active_reads_in_russian_as_the_case_the_order_and_the_staff_member_need(
    server_url, browser, personas
):
    case = intake(personas.caseworker, personas.center)
    case_services.case_change_status(actor=personas.caseworker, case=case, status="active")
    order = record_order(personas.caseworker, case)
    page = signed_in(browser, server_url, personas.caseworker, "ru")

    page.goto(f"{server_url}/cases/{case.pk}/")
    assert page.locator(".page-head .badge.status-active").inner_text() == "В работе"
    page.goto(f"{server_url}/orders/{order.pk}/")
    assert page.locator(".badge.status-active").first.inner_text() == "Действует"

    admin = signed_in(browser, server_url, personas.org_admin, "ru")
    admin.goto(f"{server_url}/organisations/staff/")
    row = admin.locator("tr", has_text=personas.caseworker.username)
    assert row.locator("td").last.inner_text() == "Работает"
