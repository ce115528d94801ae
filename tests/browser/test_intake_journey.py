import datetime
import re

import pytest
from django.utils import timezone

from cases.models import Case
from tests.browser.factories import fill_the_incident, open_the_case_from_step_2, signed_in_context

pytestmark = pytest.mark.browser


def test_caseworker_completes_an_intake_then_finds_her_by_phone(
    server_url, browser, personas, artifacts
):
    context = signed_in_context(browser, server_url, personas.caseworker)
    page = context.new_page()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    page.goto(f"{server_url}/cases/intake/")
    page.get_by_label("Full name").fill("Динара Оспанова")
    page.get_by_label("Phone").fill("8 707 123 45 67")
    page.get_by_label("How to contact her safely").fill("Только через сестру")
    page.get_by_label("Age band").select_option("25-34")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Disability").select_option("none")
    # The draft is saved as she types: a reload keeps everything.
    # Each change is queued behind the save in flight, never dropped: wait for the save
    # that carries the region (on a busy machine it may come after a few others).
    with page.expect_response(
        lambda response: (
            "/cases/intake/autosave/" in response.url
            and re.search(r"(^|&)region=[^&]", response.request.post_data or "") is not None
        ),
        timeout=15_000,
    ) as saved:
        page.get_by_label("Region").select_option(label="Almaty")
    assert saved.value.ok
    page.wait_for_load_state("networkidle")
    page.reload()
    assert page.get_by_label("Region").input_value() != ""
    assert page.get_by_label("Full name").input_value() == "Динара Оспанова"
    page.get_by_role("button", name="Next").click()

    page.wait_for_url(re.compile(r"step=2"))
    fill_the_incident(page, day=yesterday)
    open_the_case_from_step_2(page)
    case = Case.objects.get()
    assert case.reference in page.content()

    page.goto(f"{server_url}/cases/")
    page.get_by_label("IIN, phone or name").fill("+7 (707) 123-45-67")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/cases/\?found=[\w-]+$"))  # the number is in no address
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(f"text={case.reference}")
    assert page.locator(".case-row").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "intake-journey-search.png"), full_page=True)
    context.close()
