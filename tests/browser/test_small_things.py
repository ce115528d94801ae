"""Issue 12, "Small things seen", in Chromium at 360 px: "Active" said per thing in Russian,
a bed named by its room and its number, Kazakh role labels that wrap between words, and a
header that leaves the phone's screen to the page."""

import pytest

from cases import services as case_services
from tests.browser.factories import signed_in_page
from tests.cases.factories import intake
from tests.protection_orders.factories import record_order

# Serialized, so each journey starts from the migrated reference data (regions, order
# types) even when this file runs on its own.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def signed_in(browser, server_url, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    return signed_in_page(browser, server_url, user)


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


def test_a_held_bed_is_named_by_room_and_bed_on_the_case_page_and_the_grid(
    server_url, browser, personas
):
    from shelters import services_placements as placements
    from tests.shelters.factories import shelter_with_beds

    case = intake(personas.caseworker, personas.center)
    shelter = shelter_with_beds(personas.center, beds=2)
    placements.hold_place(actor=personas.caseworker, bed=shelter.beds.get(label="2"), case=case)

    page = signed_in(browser, server_url, personas.caseworker)
    page.goto(f"{server_url}/cases/{case.pk}/")
    assert page.locator(".placement-row .bed-name").inner_text() == "Room 1, bed 2"
    page.goto(f"{server_url}/shelters/holds/")
    assert page.locator(".bed-name").first.inner_text() == "Room 1, bed 2"

    manager = signed_in(browser, server_url, personas.shelter_manager, "ru")
    manager.goto(f"{server_url}/shelters/{shelter.pk}/")
    assert manager.locator("section.room h2").inner_text() == "Комната 1"
    assert manager.locator(".bed-label").all_inner_texts() == ["Место 1", "Место 2"]


# Every word of each cell on one line: a word broken across lines has its characters on
# two lines. A hyphen is a word's own place to break ("Аты-жөні"), so its parts count apart.
WORDS_BROKEN = """(cells) => cells.flatMap((cell) => {
  const broken = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/[^\\s\\-\u2010]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
})"""


def test_kazakh_role_labels_in_the_staff_table_wrap_between_words_at_360_px(
    server_url, browser, personas
):
    page = signed_in(browser, server_url, personas.org_admin, "kk")
    page.goto(f"{server_url}/organisations/staff/")

    roles = page.locator("table tbody tr td:nth-child(2)")
    assert "Әлеуметтік қызметкер" in roles.all_inner_texts()
    assert page.locator("table td").evaluate_all(WORDS_BROKEN) == []
    assert page.locator("table th").evaluate_all(WORDS_BROKEN) == []
    # The table scrolls in its own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "org_admin"])
def test_the_header_is_at_most_64_px_tall_on_a_phone_in_kazakh(
    server_url, browser, personas, persona
):
    page = signed_in(browser, server_url, getattr(personas, persona), "kk")
    page.goto(f"{server_url}/")

    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 64, header
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Everything the header held is still reachable: the row scrolls sideways.
    nav = page.locator(".site-header")
    nav.get_by_role("button", name="Шығу").scroll_into_view_if_needed()
    assert nav.get_by_role("button", name="Шығу").is_visible()
