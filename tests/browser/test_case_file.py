"""Issue 12, "The file is on the case page", in Chromium at 360 px: what was typed at intake
is on the case page, the risk factors for her safety are on the first screen, and the
timeline has the orders, police checks, violations, holds and stays, days without a time."""

import datetime
import re

import pytest
from django.utils import timezone

from protection_orders import services as order_services
from shelters import services_placements as placements
from tests.browser.factories import PHONE, signed_in_page
from tests.cases.factories import intake
from tests.protection_orders.factories import record_order
from tests.shelters.factories import shelter_with_beds

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RIFLE = "he has a hunting rifle at home"


def test_the_whole_file_is_on_the_case_page_with_the_danger_on_the_first_screen(
    server_url, browser, personas, artifacts
):
    case = intake(
        personas.caseworker,
        personas.center,
        perpetrator={"full_name": "Ерлан Бекетов", "relationship": "spouse", "details": RIFLE},
        risk_answers={str(q): q in (13, 14, 15) for q in range(1, 25)},
        incident={"violence_types": ["physical", "sexual"], "injuries": True},
    )
    order = record_order(
        personas.caseworker, case, issued_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    order_services.police_check_record(
        actor=personas.caseworker,
        order=order,
        checked_on=timezone.localdate(),
        unit_officer="УП Медеуского района",
        outcome="violation",
    )
    order_services.violation_record(
        actor=personas.caseworker,
        order=order,
        occurred_on=timezone.localdate(),
        description="Пришёл к её дому",
    )
    shelter = shelter_with_beds(personas.center, beds=2)
    placements.hold_place(actor=personas.caseworker, bed=shelter.beds.get(label="2"), case=case)
    page = signed_in_page(browser, server_url, personas.caseworker)

    page.goto(f"{server_url}/cases/{case.pk}/")

    panel = page.locator(".safety-panel")
    box = panel.bounding_box()
    assert box is not None and box["y"] < PHONE["height"]  # seen before scrolling
    flags = panel.locator(".safety-flags li").all_inner_texts()
    assert "He has used weapons or objects to hurt her" in flags
    assert "He has threatened to kill her or someone else" in flags
    assert "He has tried to strangle, choke, suffocate or drown her" in flags
    assert RIFLE in panel.locator(".perpetrator-details").inner_text()
    assert "Ерлан Бекетов" in panel.inner_text()
    assert page.locator("dd.violence-types").inner_text() == "Physical, Sexual"

    timeline = page.locator(".timeline")
    for line in (
        "Protection order issued",
        "Police check",
        "Order violated",
        "Shelter bed held",
        "Incident",
    ):
        assert timeline.get_by_text(line, exact=True).count() >= 1, line
    incident_time = page.locator(".timeline-incident time").inner_text()
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", incident_time), incident_time
    assert "ул. Секретная" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "case-file-360.png"), full_page=True)


WIDE = {"width": 1280, "height": 800}


def test_a_new_caseworker_sees_the_name_on_a_phone_and_not_on_a_wide_screen(
    server_url, browser, personas
):
    case = intake(personas.caseworker, personas.center, survivor={"full_name": "Жанар Омарова"})
    assert personas.caseworker.show_survivor_names is None

    phone = signed_in_page(browser, server_url, personas.caseworker, viewport=PHONE)
    phone.goto(f"{server_url}/cases/{case.pk}/")
    assert phone.locator("h1 .survivor-name").is_visible()
    assert not phone.locator("h1 .reveal-name").is_visible()

    desk = signed_in_page(browser, server_url, personas.caseworker, viewport=WIDE)
    desk.goto(f"{server_url}/cases/{case.pk}/")
    assert not desk.locator("h1 .survivor-name").is_visible()
    assert desk.locator("h1").inner_text().startswith("Show name")
    assert case.reference in desk.locator("h1").inner_text()
    desk.goto(f"{server_url}/cases/")
    assert not desk.get_by_text("Жанар Омарова").is_visible()
    assert desk.locator(".case-reference").first.inner_text() == case.reference


def test_show_name_puts_the_hidden_name_on_screen_at_360_px(server_url, browser, personas):
    case = intake(personas.caseworker, personas.center, survivor={"full_name": "Жанар Омарова"})
    page = signed_in_page(browser, server_url, personas.caseworker, viewport=PHONE)

    page.goto(f"{server_url}/accounts/profile/")
    page.get_by_label("Never show them until I press “Show name”").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.show_survivor_names is False

    page.goto(f"{server_url}/cases/{case.pk}/")
    heading = page.locator("h1")
    assert not heading.get_by_text("Жанар Омарова").is_visible()
    button = heading.get_by_role("button", name="Show name")
    assert button.get_attribute("aria-expanded") == "false"
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    button.click()
    assert heading.get_by_text("Жанар Омарова").is_visible()
    assert not button.is_visible()
    assert sent == []  # shown from the page she has open: no request carries the name
