import datetime
import re

import pytest
from django.utils import timezone

from shelters.models import Bed, Occupancy
from tests.browser.factories import no_sideways_scroll, signed_in_page
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.browser


def test_a_bed_back_in_service_is_held_by_another_center_and_confirmed_by_the_shelter(
    server_url, browser, personas, artifacts
):
    shelter = shelter_with_beds(personas.center, beds=1, name="Убежище «Шанс»")
    bed = shelter.beds.get()
    Bed.objects.filter(pk=bed.pk).update(out_of_service=True)
    case = intake(personas.caseworker_other_center, personas.other_center)
    manager = signed_in_page(browser, server_url, personas.shelter_manager)
    caseworker = signed_in_page(browser, server_url, personas.caseworker_other_center)

    # The manager puts the bed back in service with one click on its tile.
    manager.goto(f"{server_url}/shelters/mine/")
    manager.wait_for_url(re.compile(rf"/shelters/{shelter.pk}/$"))
    tile = manager.locator(f"#bed-{bed.pk}")
    assert "state-out_of_service" in tile.get_attribute("class")
    tile.get_by_role("button", name=re.compile(r"^Back in service")).click()
    manager.wait_for_selector(f"#bed-{bed.pk}.state-free")
    bed.refresh_from_db()
    assert not bed.out_of_service

    # A caseworker of another center finds it on the board and holds it for her case.
    caseworker.goto(f"{server_url}/shelters/")
    row = caseworker.locator(".shelter-row", has_text="Убежище «Шанс»")
    assert row.locator(".free-adult").inner_text() == "1"
    assert "ул. Секретная" not in caseworker.content()
    assert no_sideways_scroll(caseworker)
    caseworker.screenshot(path=str(artifacts / "shelter-journey-board.png"), full_page=True)
    row.get_by_role("link", name=re.compile(r"^Hold a bed")).click()
    caseworker.wait_for_url(re.compile(r"/hold/$"))
    caseworker.get_by_role("combobox", name=re.compile(r"^Case")).select_option(
        label=f"{case.reference} · {case.survivor.code}"
    )
    caseworker.get_by_label("Bed kind").select_option("adult")
    caseworker.get_by_label("Practical needs").fill("Инсулин в холодильнике")
    caseworker.get_by_role("button", name="Hold the bed").click()
    caseworker.wait_for_url(re.compile(r"/shelters/holds/$"))
    assert "is held for you until" in caseworker.content()
    hold = Occupancy.objects.get()
    assert hold.kind == "hold" and hold.case == case

    # She arrives: the manager confirms the admission from the grid.
    manager.reload()
    holds = manager.locator(".holds")
    assert case.survivor.code in holds.inner_text()
    assert "Center B" in holds.inner_text()
    assert no_sideways_scroll(manager)
    holds.get_by_text("She has arrived: confirm").click()
    end = timezone.localdate() + datetime.timedelta(days=30)
    holds.get_by_label("Expected end").fill(end.isoformat())
    holds.get_by_role("button", name="Confirm admission").click()
    manager.wait_for_selector(f"#bed-{bed.pk}.state-occupied")
    hold.refresh_from_db()
    assert hold.kind == "stay" and hold.expected_end == end
    assert case.survivor.code in manager.locator(f"#bed-{bed.pk}").inner_text()
    assert case.survivor.full_name not in manager.content()
    assert no_sideways_scroll(manager)
    manager.screenshot(path=str(artifacts / "shelter-journey-grid.png"), full_page=True)
    manager.context.close()
    caseworker.context.close()
