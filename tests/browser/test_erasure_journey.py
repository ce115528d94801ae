import re

import pytest

from cases.models import Survivor
from crisis_ops.retention.models import ErasureRequest
from tests.browser.factories import no_sideways_scroll, signed_in_page
from tests.cases.factories import intake

pytestmark = pytest.mark.browser


def test_a_supervisor_asks_for_an_erasure_and_an_org_admin_confirms_it(
    server_url, browser, personas, artifacts, destroyed_keys
):
    case = intake(personas.caseworker, personas.center)
    supervisor = signed_in_page(browser, server_url, personas.supervisor)

    supervisor.goto(f"{server_url}/retention/erasure/")
    supervisor.get_by_role("link", name="Request an erasure").click()
    supervisor.get_by_label("Case reference").fill(case.reference)
    supervisor.get_by_role("button", name="Request the erasure").click()
    supervisor.wait_for_url(re.compile(r"/retention/erasure/[0-9a-f-]{36}/$"))

    assert "Waiting for an organisation admin" in supervisor.content()
    assert supervisor.get_by_role("button", name="Confirm and erase").count() == 0
    assert no_sideways_scroll(supervisor)
    assert Survivor.objects.filter(pk=case.survivor_id).exists()

    admin = signed_in_page(browser, server_url, personas.org_admin)
    admin.goto(f"{server_url}/")
    admin.get_by_role("link", name=re.compile(r"Notifications: 1 unread")).click()
    admin.wait_for_url(re.compile(r"/notifications/$"))
    admin.get_by_role("link", name=case.reference).click()
    admin.wait_for_url(re.compile(r"/retention/erasure/[0-9a-f-]{36}/$"))
    assert no_sideways_scroll(admin)
    admin.screenshot(path=str(artifacts / "erasure-confirm-360.png"), full_page=True)
    admin.get_by_role("button", name="Confirm and erase").click()
    admin.wait_for_selector("text=Erased: her data key is destroyed")

    assert not Survivor.objects.filter(pk=case.survivor_id).exists()
    assert destroyed_keys == [case.survivor_id]
    erasure = ErasureRequest.objects.get()
    assert erasure.status == "done" and erasure.requested_by == personas.supervisor
    assert erasure.decided_by == personas.org_admin
    assert case.reference not in admin.content()
