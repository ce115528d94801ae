"""The caller's reminders over the API (crisis_ops/notifications/api.py): her own only,
the case named while she may still see it, marking read through the one service."""

import pytest
from django.utils import timezone

from crisis_ops.notifications.models import Notification
from tests.factories import post
from tests.notifications.factories import notification_about
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

REMINDERS = "/api/v1/reminders"
READERS = ["caseworker", "caseworker_same_center", "supervisor"]
OUTSIDERS = ["caseworker_other_center", "shelter_manager", "coordinator", "org_admin"]


@pytest.mark.parametrize("persona", [*READERS, *OUTSIDERS])
def test_everyone_sees_only_their_own_reminders(client_for, personas, order, persona):
    mine = notification_about(personas.user(persona), order)
    notification_about(
        personas.caseworker_same_center
        if persona != "caseworker_same_center"
        else personas.caseworker,
        order,
    )

    rows = client_for(persona).get(REMINDERS).json()["results"]

    assert [row["id"] for row in rows] == [str(mine.id)]
    # The case is named only to those who may still see it.
    expected = order.case.reference if persona in READERS else None
    assert rows[0]["case_reference"] == expected


def test_anonymous_gets_401(client_for):
    assert client_for("anonymous").get(REMINDERS).status_code == 401


def test_the_unread_filter(client_for, personas, order):
    read = notification_about(personas.caseworker, order, kind="order_expiring")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    unread = notification_about(personas.caseworker, order)
    client = client_for("caseworker")

    assert [r["id"] for r in client.get(f"{REMINDERS}?unread=true").json()["results"]] == [
        str(unread.id)
    ]
    assert [r["id"] for r in client.get(f"{REMINDERS}?unread=false").json()["results"]] == [
        str(read.id)
    ]
    assert client.get(f"{REMINDERS}?unread=maybe").status_code == 400


def test_marking_a_reminder_read(client_for, personas, order):
    mine = notification_about(personas.caseworker, order)

    response = post(client_for("caseworker"), f"{REMINDERS}/{mine.id}/read", {})

    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.parametrize("persona", ["caseworker_same_center", "supervisor", "anonymous"])
def test_nobody_else_marks_my_reminder_read(client_for, personas, order, persona):
    mine = notification_about(personas.caseworker, order)

    response = post(client_for(persona), f"{REMINDERS}/{mine.id}/read", {})

    assert response.status_code == (401 if persona == "anonymous" else 404)
    mine.refresh_from_db()
    assert mine.read_at is None


def test_the_reminder_list_reads_a_fixed_number_of_queries(client_for, personas, order):
    client = client_for("caseworker")
    notification_about(personas.caseworker, order)

    def three_more():
        for kind in ("order_expiring", "police_check_overdue", "order_expired_no_decision"):
            notification_about(personas.caseworker, order, kind=kind)

    page = assert_queries_do_not_grow(lambda: client.get(REMINDERS), three_more, at_most=20)

    assert page.json()["count"] == 4
