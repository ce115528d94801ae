"""Order pages, the inbox with its bell, and the dashboard's deadlines, walked by persona."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from crisis_ops.notifications.models import Notification
from protection_orders import services
from protection_orders.models import OrderType, PoliceCheck, ProtectionOrder, Violation
from tests.cases.factories import intake

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
READERS = ("caseworker", "caseworker_same_center", "supervisor")
OUTSIDERS = ("caseworker_other_center", "shelter_manager", "coordinator", "org_admin")


def police_type():
    return OrderType.objects.get(code="police-protection")


def record_order(actor, case, issued_on=None, **extra):
    return services.order_create(
        actor=actor,
        case=case,
        order_type=police_type(),
        number=extra.pop("number", "ЗП-0142"),
        issuing_unit="УП Алмалинского района",
        issued_on=issued_on or timezone.localdate(),
        **extra,
    )


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def order(personas, case):
    return record_order(
        personas.caseworker,
        case,
        issued_on=timezone.localdate() - datetime.timedelta(days=3),
        conditions="Не приближаться ближе 100 м",
    )


def detail(order):
    return reverse("protection_orders:order_detail", args=[order.id])


def action(name, order):
    return reverse(f"protection_orders:{name}", args=[order.id])


def text(response):
    return response.content.decode()


# --- the case page section ---------------------------------------------------------------


def test_case_page_lists_its_orders_with_the_next_police_check(client_for, case, order):
    page = text(client_for("caseworker").get(reverse("cases:case_detail", args=[case.id])))

    assert "Protection orders" in page
    assert order.number in page
    assert (order.issued_on + datetime.timedelta(days=7)).strftime("%d.%m.%Y") in page
    assert reverse("protection_orders:order_add", args=[case.id]) in page


def test_case_page_reads_its_orders_in_one_query_however_many(
    client_for, personas, case, django_assert_max_num_queries
):
    client = client_for("caseworker")
    url = reverse("cases:case_detail", args=[case.id])
    record_order(personas.caseworker, case, number="1")
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for n in range(2, 6):
        order = record_order(personas.caseworker, case, number=str(n))
        services.police_check_record(
            actor=personas.caseworker,
            order=order,
            checked_on=timezone.localdate(),
            unit_officer="УП",
            outcome="complied",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(url))
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


def test_revoking_an_order(client_for, order):
    client_for("caseworker").post(action("order_revoke", order))

    order.refresh_from_db()
    assert order.status == "revoked"


def test_revoking_twice_says_it_is_no_longer_active(client_for, order):
    client = client_for("caseworker")
    client.post(action("order_revoke", order))

    response = client.post(action("order_revoke", order))

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


# --- the inbox and its bell --------------------------------------------------------------

INBOX = reverse("notifications:inbox")


def notify(user, order, kind="police_check_due"):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        object_type="protection_orders.protectionorder",
        object_id=order.pk,
    )


def test_the_inbox_lists_my_notifications_with_the_case(client_for, personas, case, order):
    notify(personas.caseworker, order)
    Notification.objects.create(
        recipient=personas.caseworker, kind="high_risk", object_type="cases.case", object_id=case.pk
    )
    notify(personas.caseworker_same_center, order, kind="order_expiring")

    page = text(client_for("caseworker").get(INBOX))

    assert "Police check due" in page
    assert "High risk assessed" in page
    assert "Protection order expiring" not in page
    assert detail(order) in page
    assert reverse("cases:case_detail", args=[case.id]) in page


def test_a_notification_about_a_case_i_no_longer_see_names_no_case(client_for, personas, order):
    notify(personas.caseworker_other_center, order)

    page = text(client_for("caseworker_other_center").get(INBOX))

    assert order.case.reference not in page
    assert "No longer available to you" in page


def test_the_inbox_reads_a_fixed_number_of_queries(
    client_for, personas, order, django_assert_max_num_queries
):
    client = client_for("caseworker")
    notify(personas.caseworker, order)
    with django_assert_max_num_queries(30) as few:
        client.get(INBOX)
    for kind in ("order_expiring", "police_check_overdue", "order_expired_no_decision"):
        notify(personas.caseworker, order, kind=kind)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(INBOX))
    assert page.count('class="notification') == 4


def test_marking_one_as_read(client_for, personas, order):
    mine = notify(personas.caseworker, order)

    response = client_for("caseworker").post(reverse("notifications:mark_read", args=[mine.id]))

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_nobody_marks_another_users_notification(client_for, personas, order):
    theirs = notify(personas.caseworker, order)

    response = client_for("caseworker_same_center").post(
        reverse("notifications:mark_read", args=[theirs.id])
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_as_read_leaves_others_alone(client_for, personas, order):
    notify(personas.caseworker, order)
    notify(personas.caseworker, order, kind="order_expiring")
    theirs = notify(personas.supervisor, order)

    client_for("caseworker").post(reverse("notifications:mark_all_read"))

    assert not Notification.objects.filter(recipient=personas.caseworker, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_counts_my_unread_notifications(client_for, personas, order):
    notify(personas.caseworker, order)
    notify(personas.caseworker, order, kind="order_expiring")
    Notification.objects.filter(kind="order_expiring").update(read_at=timezone.now())
    notify(personas.supervisor, order, kind="police_check_overdue")

    page = text(client_for("caseworker").get(reverse("core:dashboard")))

    assert 'class="bell"' in page
    assert 'aria-label="Notifications: 1 unread"' in page


def test_the_bell_costs_one_count_query(client_for, django_assert_max_num_queries):
    client = client_for("shelter_manager")
    client.get(reverse("core:dashboard"))
    with django_assert_max_num_queries(100) as captured:
        client.get(reverse("core:dashboard"))
    counts = [
        q["sql"] for q in captured.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(counts) == 1
    assert "COUNT(" in counts[0]


def test_anonymous_pages_have_no_bell_and_no_count(client_for, django_assert_max_num_queries):
    with django_assert_max_num_queries(100) as captured:
        page = text(client_for("anonymous").get(reverse("accounts:login")))

    assert 'class="bell"' not in page
    assert not [q for q in captured.captured_queries if "notifications_notification" in q["sql"]]


def test_anonymous_is_sent_to_sign_in_from_the_inbox(client_for):
    assert client_for("anonymous").get(INBOX).status_code == 302


# --- the dashboard's deadlines -----------------------------------------------------------

TODAY = datetime.date(2026, 3, 16)


def _at(day, hour=11):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ALMATY)


@pytest.fixture
def deadline_orders(personas):
    """Issued so that, on TODAY, one check is due, one is overdue, one order expires in 3 days."""
    with time_machine.travel(_at(datetime.date(2026, 2, 1)), tick=False):
        mine = intake(personas.caseworker, personas.center)
        bobs = intake(personas.caseworker_same_center, personas.center)
    with time_machine.travel(_at(TODAY), tick=False):
        due_today = record_order(
            personas.caseworker, mine, issued_on=TODAY - datetime.timedelta(days=7), number="D1"
        )
        overdue = record_order(
            personas.caseworker, mine, issued_on=TODAY - datetime.timedelta(days=9), number="D2"
        )
        expiring = record_order(
            personas.caseworker,
            bobs,
            issued_on=TODAY - datetime.timedelta(days=26),
            number="D3",
        )
        services.police_check_record(
            actor=personas.caseworker_same_center,
            order=expiring,
            checked_on=TODAY - datetime.timedelta(days=1),
            unit_officer="УП",
            outcome="complied",
        )
    return due_today, overdue, expiring


def deadlines_card(page):
    start = page.index('id="card-deadlines"')
    return page[start : page.index("</section>", start)]


def test_a_caseworker_sees_deadlines_of_her_own_cases(client_for, deadline_orders):
    due_today, overdue, expiring = deadline_orders
    with time_machine.travel(_at(TODAY), tick=False):
        card = deadlines_card(text(client_for("caseworker").get(reverse("core:dashboard"))))

    assert "Police check due today" in card
    assert due_today.number in card.split("Police check due today")[1]
    assert "Police check overdue" in card
    assert overdue.number in card.split("Police check overdue")[1].split("due today")[0]
    # Bob's case is not hers.
    assert expiring.number not in card


def test_a_supervisor_sees_the_whole_center(client_for, deadline_orders):
    due_today, overdue, expiring = deadline_orders
    with time_machine.travel(_at(TODAY), tick=False):
        card = deadlines_card(text(client_for("supervisor").get(reverse("core:dashboard"))))

    assert "Expiring this week" in card
    assert expiring.number in card.split("Expiring this week")[1]
    assert due_today.number in card
    assert overdue.number in card


def test_a_recorded_check_clears_the_deadline(client_for, personas, deadline_orders):
    due_today, overdue, _expiring = deadline_orders
    with time_machine.travel(_at(TODAY), tick=False):
        for order in (due_today, overdue):
            services.police_check_record(
                actor=personas.caseworker,
                order=order,
                checked_on=TODAY,
                unit_officer="УП",
                outcome="complied",
            )
        card = deadlines_card(text(client_for("caseworker").get(reverse("core:dashboard"))))

    assert "No police checks or order expiries are due." in card


def test_another_center_sees_none_of_the_deadlines(client_for, deadline_orders):
    with time_machine.travel(_at(TODAY), tick=False):
        card = deadlines_card(
            text(client_for("caseworker_other_center").get(reverse("core:dashboard")))
        )

    assert "No police checks or order expiries are due." in card


def test_deadlines_read_a_fixed_number_of_queries(
    personas, deadline_orders, django_assert_max_num_queries
):
    from protection_orders.selectors import deadlines_for

    with time_machine.travel(_at(TODAY), tick=False):
        with django_assert_max_num_queries(4) as few:
            deadlines_for(user=personas.supervisor)
        extra = intake(personas.caseworker, personas.center)
        for n in range(5):
            record_order(personas.caseworker, extra, number=f"E{n}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            deadlines = deadlines_for(user=personas.supervisor)
    assert len(deadlines.expiring) == 1
