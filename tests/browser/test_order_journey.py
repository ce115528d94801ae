import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from crisis_ops.reminders.services import reminders_claim_due
from protection_orders.models import PoliceCheck, ProtectionOrder
from tests.browser.factories import signed_in_context
from tests.cases.factories import intake

pytestmark = pytest.mark.browser


def test_caseworker_records_an_order_and_a_check_then_finds_the_reminder_via_the_bell(
    server_url, browser, personas, artifacts, django_capture_on_commit_callbacks
):
    # Mid-morning in Almaty, whenever the suite runs: today's 09:00 reminder is then due,
    # and not so old that scheduling skips it. The clock ticks so the browser can wait.
    morning = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(10, 0))
    )
    with time_machine.travel(morning, tick=True):
        today = timezone.localdate()
        issued = today - datetime.timedelta(days=14)
        case = intake(personas.caseworker, personas.center)
        context = signed_in_context(browser, server_url, personas.caseworker)
        page = context.new_page()

        page.goto(f"{server_url}/cases/{case.id}/")
        page.get_by_role("link", name="Record a protection order").click()
        page.wait_for_url(re.compile(r"/orders/case/"))
        page.get_by_label("Type").select_option(index=1)
        page.get_by_label("Number").fill("ЗП-0142")
        page.get_by_label("Issuing police unit").fill("УП Алмалинского района")
        page.get_by_label("Issued on").fill(issued.isoformat())
        page.get_by_role("button", name="Save").click()

        page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}/$"))
        order = ProtectionOrder.objects.get()
        assert order.expires_on == issued + datetime.timedelta(days=29)
        assert "ЗП-0142" in page.content()

        # Last week's check is on record; this week's is due today and not yet done.
        page.get_by_text("Record a police check").click()
        page.get_by_label("Checked on").fill((issued + datetime.timedelta(days=6)).isoformat())
        page.get_by_label("Police unit / officer").fill("УП, ст. лейтенант Н.")
        page.get_by_label("Outcome").select_option("complied")
        page.get_by_role("button", name="Save check").click()
        page.wait_for_selector(".check-row")
        assert PoliceCheck.objects.filter(order=order).count() == 1

        with django_capture_on_commit_callbacks(execute=True):
            reminders_claim_due(now=timezone.now())

        page.goto(f"{server_url}/")
        page.get_by_role("link", name="Notifications: 1 unread").click()
        page.wait_for_url(re.compile(r"/notifications/$"))
        reminder = page.locator(".notification.unread")
        assert reminder.count() == 1
        assert "Police check due" in reminder.inner_text()
        assert case.reference in reminder.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(artifacts / "order-journey-inbox.png"), full_page=True)

        reminder.get_by_role("button", name="Mark as read").click()
        page.wait_for_load_state("load")
        assert page.locator(".notification.unread").count() == 0
        context.close()
