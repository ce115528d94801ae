"""The in-app inbox and its bell: reminders reach the people they are for."""

import pytest
from django.urls import reverse
from django.utils import timezone

from crisis_ops.notifications.models import Notification
from tests.factories import text
from tests.notifications.factories import notification_about
from tests.protection_orders.factories import (
    detail,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


# --- the inbox and its bell --------------------------------------------------------------

INBOX = reverse("notifications:inbox")


def test_the_inbox_lists_my_notifications_with_the_case(client_for, personas, case, order):
    notification_about(personas.caseworker, order)
    Notification.objects.create(
        recipient=personas.caseworker, kind="high_risk", object_type="cases.case", object_id=case.pk
    )
    notification_about(personas.caseworker_same_center, order, kind="order_expiring")

    page = text(client_for("caseworker").get(INBOX))

    assert "Police check due" in page
    assert "High risk assessed" in page
    assert "Protection order expiring" not in page
    assert detail(order) in page
    assert reverse("cases:case_detail", args=[case.id]) in page


def test_a_notification_about_a_case_i_no_longer_see_names_no_case(client_for, personas, order):
    notification_about(personas.caseworker_other_center, order)

    page = text(client_for("caseworker_other_center").get(INBOX))

    assert order.case.reference not in page
    assert "No longer available to you" in page


def test_the_inbox_reads_a_fixed_number_of_queries(client_for, personas, order):
    client = client_for("caseworker")
    notification_about(personas.caseworker, order)

    def more():
        for kind in ("order_expiring", "police_check_overdue", "order_expired_no_decision"):
            notification_about(personas.caseworker, order, kind=kind)

    page = text(assert_queries_do_not_grow(lambda: client.get(INBOX), more, at_most=30))
    assert page.count('class="notification') == 4


def test_marking_one_as_read(client_for, personas, order):
    mine = notification_about(personas.caseworker, order)

    response = client_for("caseworker").post(reverse("notifications:mark_read", args=[mine.id]))

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_nobody_marks_another_users_notification(client_for, personas, order):
    theirs = notification_about(personas.caseworker, order)

    response = client_for("caseworker_same_center").post(
        reverse("notifications:mark_read", args=[theirs.id])
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_as_read_leaves_others_alone(client_for, personas, order):
    notification_about(personas.caseworker, order)
    notification_about(personas.caseworker, order, kind="order_expiring")
    theirs = notification_about(personas.supervisor, order)

    client_for("caseworker").post(reverse("notifications:mark_all_read"))

    assert not Notification.objects.filter(recipient=personas.caseworker, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_counts_my_unread_notifications(client_for, personas, order):
    notification_about(personas.caseworker, order)
    notification_about(personas.caseworker, order, kind="order_expiring")
    Notification.objects.filter(kind="order_expiring").update(read_at=timezone.now())
    notification_about(personas.supervisor, order, kind="police_check_overdue")

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
