"""Issue 12, "Intake paths left out so far", "People" and the child-bed rule, each as a
journey in Chromium at 360 px. The hotline call and the sign-in language run in Russian
and Kazakh."""

import re

import pytest
from django.utils import timezone

from cases.models import HotlineCall
from crisis_ops.notifications.models import Notification
from crisis_ops.organisations import services as org_services
from crisis_ops.organisations.roles import Role
from shelters.models import Occupancy
from tests.browser.factories import no_sideways_scroll, signed_in_page
from tests.cases.factories import intake
from tests.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory, region
from tests.shelters.factories import shelter_with_beds
from tests.totp import current_code

pytestmark = pytest.mark.browser


def test_an_anonymous_call_in_russian_is_recorded_without_a_name_then_opens_a_case(
    server_url, browser, personas, artifacts
):
    personas.caseworker.language = "ru"
    personas.caseworker.save()
    page = signed_in_page(browser, server_url, personas.caseworker)

    page.goto(f"{server_url}/cases/intake/")
    page.get_by_role(
        "link", name="Анонимный звонок на линию доверия? Запишите его без имени."
    ).click()
    page.wait_for_url(re.compile(r"/cases/hotline/new/"))
    assert page.locator("form.card textarea, form.card input[type=text]").count() == 0
    page.get_by_label("Линия, на которую она позвонила").select_option("hotline_150")
    page.get_by_label("Регион, откуда она звонит").select_option(str(region("almaty-city").pk))
    page.get_by_label("Возрастная группа").select_option("25-34")
    page.get_by_label("Пол").select_option("female")
    page.get_by_label("Инвалидность").select_option("none")
    page.get_by_label("Физическое").check()
    page.get_by_label("Категория GBVIMS").select_option("physical_assault")
    page.get_by_label("Кем ей приходится агрессор").select_option("spouse")
    page.get_by_label("Да, она согласилась").check()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Записать звонок").click()

    page.wait_for_url(re.compile(r"/cases/hotline/$"))
    assert "Звонок записан без имени и номера" in page.locator("main").inner_text()
    call = HotlineCall.objects.get()
    assert (call.source, call.age_band, call.statistics_consent) == ("hotline_150", "25-34", True)
    page.screenshot(path=str(artifacts / "hotline-call-ru.png"), full_page=True)

    page.get_by_role("button", name="Она пришла: открыть дело").click()
    page.wait_for_url(re.compile(r"/cases/intake/"))
    assert page.get_by_label("Возрастная группа").input_value() == "25-34"
    assert no_sideways_scroll(page)


def test_a_caseworker_of_two_centers_chooses_one_and_sees_it_in_the_header(
    server_url, browser, personas
):
    MembershipFactory.create(
        user=personas.caseworker, organisation=personas.other_center, role=Role.CASEWORKER
    )
    a = intake(personas.caseworker, personas.center)
    b = intake(personas.caseworker, personas.other_center)
    page = signed_in_page(browser, server_url, personas.caseworker)

    page.goto(f"{server_url}/cases/intake/")
    page.wait_for_url(re.compile(r"/cases/acting-for/"))
    page.get_by_label("Center B").check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/cases/intake/$"))
    assert page.locator(".acting-for").inner_text() == "For: Center B"
    assert no_sideways_scroll(page)
    page.goto(f"{server_url}/cases/")
    results = page.locator("#results").inner_text()
    assert b.reference in results and a.reference not in results


def test_a_new_staff_member_is_made_to_choose_her_own_password(server_url, page, personas):
    membership = org_services.member_create(
        actor=personas.org_admin,
        organisation=personas.center,
        username="nurlan",
        first_name="Нурлан",
        last_name="Абенов",
        email="nurlan@example.org",
        role="caseworker",
        password="a-temporary-passphrase-1",
        language="en",
    )
    device = TOTPDeviceFactory.create(user=membership.user)

    page.goto(f"{server_url}/accounts/login/")
    page.get_by_label("Username").fill("nurlan")
    page.get_by_label("Password").fill("a-temporary-passphrase-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    page.get_by_label(re.compile("Six-digit code")).fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/accounts/password/"))
    assert "temporary password" in page.locator("main").inner_text()
    page.goto(f"{server_url}/cases/")
    page.wait_for_url(re.compile(r"/accounts/password/"))
    page.get_by_label("Temporary password").fill("a-temporary-passphrase-1")
    page.get_by_label(re.compile(r"^New password:?$")).fill("my-own-secret-river-stone")
    page.get_by_label("New password again").fill("my-own-secret-river-stone")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Save my password").click()

    page.wait_for_url(re.compile(r"/cases/$"))
    membership.user.refresh_from_db()
    assert not membership.user.must_change_password


def test_a_reassigned_case_reaches_the_new_caseworker_s_inbox_by_reference(
    server_url, browser, personas
):
    case = intake(personas.caseworker, personas.center)
    bob = personas.caseworker_same_center
    page = signed_in_page(browser, server_url, personas.supervisor)

    page.goto(f"{server_url}/cases/{case.pk}/")
    page.get_by_label("Caseworker").select_option(str(bob.pk))
    page.get_by_role("button", name="Reassign").click()
    page.wait_for_load_state()

    assert Notification.objects.filter(recipient=bob, kind="case_assigned").count() == 1
    inbox = signed_in_page(browser, server_url, bob)
    inbox.goto(f"{server_url}/notifications/")
    text = inbox.locator("main").inner_text()
    assert case.reference in text and "Айгерим" not in text
    assert no_sideways_scroll(inbox)


def test_the_kazakh_chosen_on_the_sign_in_page_survives_the_password_and_the_code(
    server_url, page, personas
):
    personas.caseworker.language = "ru"
    personas.caseworker.save()
    device = personas.caseworker.totpdevice_set.get()

    page.goto(f"{server_url}/accounts/login/")
    page.get_by_role("button", name="Қазақ").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()

    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    assert page.locator("html").get_attribute("lang") == "kk"
    page.locator("#id_token").fill(current_code(device))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{server_url}/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert no_sideways_scroll(page)


def test_an_adult_is_not_admitted_to_a_child_bed(server_url, browser, personas):
    shelter = shelter_with_beds(personas.center, beds=2, kinds=("adult", "child"))
    woman = intake(personas.caseworker, personas.center)
    child_bed = shelter.beds.get(label="2")
    page = signed_in_page(browser, server_url, personas.shelter_manager)

    page.goto(f"{server_url}/shelters/beds/{child_bed.pk}/admit/")
    page.get_by_label("Survivor code").fill(woman.survivor.code)
    page.get_by_label("Admitted on").fill(timezone.localdate().isoformat())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    assert "she is not recorded as under 18" in page.locator("main").inner_text()
    assert not Occupancy.objects.exists()
    assert no_sideways_scroll(page)
