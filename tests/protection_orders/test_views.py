"""Order pages: the case page section, recording an order, the order page, by persona."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from protection_orders import services
from protection_orders.models import PoliceCheck, ProtectionOrder, Violation
from tests.factories import text
from tests.protection_orders.factories import (
    OUTSIDERS,
    READERS,
    action,
    detail,
    police_type,
    record_order,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


# --- the case page section ---------------------------------------------------------------


def test_case_page_lists_its_orders_with_the_next_police_check(client_for, case, order):
    page = text(client_for("caseworker").get(reverse("cases:case_detail", args=[case.id])))

    assert "Protection orders" in page
    assert order.number in page
    assert (order.issued_on + datetime.timedelta(days=7)).strftime("%d.%m.%Y") in page
    assert reverse("protection_orders:order_add", args=[case.id]) in page


def test_case_page_reads_its_orders_in_one_query_however_many(client_for, personas, case):
    client = client_for("caseworker")
    url = reverse("cases:case_detail", args=[case.id])
    record_order(personas.caseworker, case, number="1")

    def four_more_checked():
        for n in range(2, 6):
            order = record_order(personas.caseworker, case, number=str(n))
            services.police_check_record(
                actor=personas.caseworker,
                order=order,
                checked_on=timezone.localdate(),
                unit_officer="УП",
                outcome="complied",
            )

    page = text(assert_queries_do_not_grow(lambda: client.get(url), four_more_checked, at_most=60))
    assert page.count('class="order-row"') == 5


# --- recording an order ------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_case_staff_record_an_order_with_the_longest_expiry_by_default(client_for, case, persona):
    issued = timezone.localdate() - datetime.timedelta(days=7)
    response = client_for(persona).post(
        reverse("protection_orders:order_add", args=[case.id]),
        {
            "order_type": police_type().pk,
            "number": "ЗП-7",
            "issuing_unit": "УП Медеуского района",
            "issued_on": issued.isoformat(),
            "expires_on": "",
            "conditions": "",
        },
    )

    order = ProtectionOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(order)
    assert order.expires_on == issued + datetime.timedelta(days=29)


def test_the_order_form_explains_the_longest_expiry(client_for, case):
    page = text(
        client_for("caseworker").get(reverse("protection_orders:order_add", args=[case.id]))
    )

    expected = (timezone.localdate() + datetime.timedelta(days=29)).strftime("%d.%m.%Y")
    assert "at most 30 days" in page
    assert expected in page


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_cannot_record_an_order(client_for, case, persona):
    url = reverse("protection_orders:order_add", args=[case.id])
    client = client_for(persona)

    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "order_type": police_type().pk,
            "number": "1",
            "issuing_unit": "УП",
            "issued_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 404
    assert ProtectionOrder.objects.count() == 0


def test_anonymous_is_sent_to_sign_in_from_every_order_page(client_for, case, order):
    client = client_for("anonymous")

    for url in (reverse("protection_orders:order_add", args=[case.id]), detail(order)):
        assert client.get(url).status_code == 302
    assert client.post(action("check_add", order), {}).status_code == 302
    assert PoliceCheck.objects.count() == 0


def test_an_expiry_beyond_the_type_maximum_saves_nothing_and_says_why(client_for, case):
    issued = timezone.localdate()
    response = client_for("caseworker").post(
        reverse("protection_orders:order_add", args=[case.id]),
        {
            "order_type": police_type().pk,
            "number": "ЗП-8",
            "issuing_unit": "УП",
            "issued_on": issued.isoformat(),
            "expires_on": (issued + datetime.timedelta(days=45)).isoformat(),
        },
    )

    assert response.status_code == 400
    assert "lasts at most 30 days" in text(response)
    assert ProtectionOrder.objects.count() == 0


def test_an_expiry_before_issue_saves_nothing_and_says_why(client_for, case):
    issued = timezone.localdate()
    response = client_for("caseworker").post(
        reverse("protection_orders:order_add", args=[case.id]),
        {
            "order_type": police_type().pk,
            "number": "ЗП-9",
            "issuing_unit": "УП",
            "issued_on": issued.isoformat(),
            "expires_on": (issued - datetime.timedelta(days=1)).isoformat(),
        },
    )

    assert "cannot expire before it was issued" in text(response)
    assert ProtectionOrder.objects.count() == 0


# --- the order page ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_case_staff_see_the_order_with_its_schedule(client_for, order, persona):
    page = text(client_for(persona).get(detail(order)))

    assert order.number in page
    assert "Не приближаться ближе 100 м" in page
    for due in order.check_due_dates():
        assert due.strftime("%d.%m.%Y") in page


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_for_the_order(client_for, order, persona):
    response = client_for(persona).get(detail(order))

    assert response.status_code == 404
    assert order.number not in text(response)


def test_the_schedule_shows_which_due_dates_a_check_covers(client_for, personas, case):
    order = record_order(
        personas.caseworker, case, issued_on=timezone.localdate() - datetime.timedelta(days=16)
    )
    services.police_check_record(
        actor=personas.caseworker,
        order=order,
        checked_on=order.issued_on + datetime.timedelta(days=6),
        unit_officer="УП, ст. лейтенант Н.",
        outcome="complied",
    )

    page = text(client_for("caseworker").get(detail(order)))

    assert page.count("checked ") == 1
    assert page.count("no check recorded") == 1


@pytest.mark.parametrize("persona", READERS)
def test_case_staff_record_a_police_check(client_for, order, persona):
    response = client_for(persona).post(
        action("check_add", order),
        {
            "checked_on": timezone.localdate().isoformat(),
            "unit_officer": "УП, ст. лейтенант Н.",
            "outcome": "complied",
            "notes": "Он дома не появлялся",
        },
    )

    assert response.status_code == 302
    check = PoliceCheck.objects.get()
    assert check.notes == "Он дома не появлялся"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_cannot_record_a_check(client_for, order, persona):
    response = client_for(persona).post(
        action("check_add", order),
        {
            "checked_on": timezone.localdate().isoformat(),
            "unit_officer": "УП",
            "outcome": "complied",
        },
    )

    assert response.status_code == 404
    assert PoliceCheck.objects.count() == 0


@pytest.mark.parametrize(
    ("days_from_today", "message"),
    [(-10, "cannot be before the order was issued"), (1, "cannot be in the future")],
)
def test_a_check_outside_the_order_saves_nothing_and_says_why(
    client_for, order, days_from_today, message
):
    response = client_for("caseworker").post(
        action("check_add", order),
        {
            "checked_on": (timezone.localdate() + datetime.timedelta(days_from_today)).isoformat(),
            "unit_officer": "УП",
            "outcome": "complied",
        },
    )

    assert response.status_code == 400
    assert message in text(response)
    assert PoliceCheck.objects.count() == 0


def test_case_staff_record_a_violation(client_for, order):
    response = client_for("caseworker_same_center").post(
        action("violation_add", order),
        {
            "occurred_on": timezone.localdate().isoformat(),
            "description": "Пришёл к дому ночью",
            "reported_to_police": "on",
        },
    )

    assert response.status_code == 302
    violation = Violation.objects.get()
    assert violation.reported_to_police
    assert "Пришёл к дому ночью" in text(client_for("caseworker").get(detail(order)))


def test_a_violation_in_the_future_saves_nothing(client_for, order):
    response = client_for("caseworker").post(
        action("violation_add", order),
        {
            "occurred_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            "description": "?",
        },
    )

    assert "cannot be in the future" in text(response)
    assert Violation.objects.count() == 0


def test_recording_the_decision_at_expiry(client_for, order):
    response = client_for("supervisor").post(
        action("decision_record", order), {"decision": "court"}
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.expiry_decision == "court"


def test_extending_links_a_new_order_and_opens_it(client_for, order):
    response = client_for("caseworker").post(
        action("order_extend", order),
        {"number": "ЗП-0143", "issued_on": timezone.localdate().isoformat()},
    )

    extension = ProtectionOrder.objects.get(previous=order)
    assert response["Location"] == detail(extension)
    order.refresh_from_db()
    assert order.status == "superseded"
    assert "ЗП-0143" in text(client_for("caseworker").get(detail(order)))


def test_an_extension_beyond_the_maximum_saves_nothing(client_for, order):
    today = timezone.localdate()
    response = client_for("caseworker").post(
        action("order_extend", order),
        {
            "number": "ЗП-0143",
            "issued_on": today.isoformat(),
            "expires_on": (today + datetime.timedelta(days=60)).isoformat(),
        },
    )

    assert "lasts at most 30 days" in text(response)
    assert ProtectionOrder.objects.count() == 1
    order.refresh_from_db()
    assert order.status == "active"


REVOKE = {"reason": "Суд отменил предписание.", "confirmed": "yes"}


def test_revoking_an_order_records_its_reason_and_shows_it(client_for, order):
    client = client_for("caseworker")
    client.post(action("order_revoke", order), REVOKE)

    order.refresh_from_db()
    assert order.status == "revoked"
    assert order.revoked_reason == "Суд отменил предписание."
    page = text(client.get(reverse("protection_orders:order_detail", args=[order.pk])))
    assert "Reason for revoking" in page and "Суд отменил предписание." in page


def test_revoking_asks_first_and_says_what_will_happen(client_for, order):
    response = client_for("caseworker").post(action("order_revoke", order), {"reason": "Суд."})

    assert response.status_code == 200
    assert "This is what will happen" in text(response)
    assert "reminders stop" in text(response)
    assert 'name="confirmed" value="yes"' in text(response)
    order.refresh_from_db()
    assert order.status == "active"


def test_revoking_without_a_reason_is_refused(client_for, order):
    response = client_for("caseworker").post(action("order_revoke", order), {"confirmed": "yes"})

    assert response.status_code == 400
    assert "This field is required" in text(response)
    order.refresh_from_db()
    assert order.status == "active"


def test_revoking_twice_says_it_is_no_longer_active(client_for, order):
    client = client_for("caseworker")
    client.post(action("order_revoke", order), REVOKE)

    response = client.post(action("order_revoke", order), REVOKE)

    assert "Only an active order can be revoked" in text(response)


@pytest.mark.parametrize(
    "name", ["violation_add", "decision_record", "order_extend", "order_revoke"]
)
def test_another_center_cannot_change_the_order(client_for, order, name):
    response = client_for("caseworker_other_center").post(
        action(name, order),
        {"decision": "court", "number": "X", "issued_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == "active"
    assert order.expiry_decision == ""
