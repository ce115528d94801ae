"""Marking read: one service behind the inbox page and the API."""

import pytest
import time_machine
from django.http import Http404

from crisis_ops.notifications.services import notification_mark_read, notifications_mark_all_read
from tests.notifications.factories import notification_about

pytestmark = pytest.mark.django_db


def test_marking_read_twice_keeps_the_first_time(personas, order):
    mine = notification_about(personas.caseworker, order)
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        first = notification_mark_read(user=personas.caseworker, notification_id=mine.pk).read_at
    with time_machine.travel("2026-03-03 09:00Z", tick=False):
        again = notification_mark_read(user=personas.caseworker, notification_id=mine.pk).read_at

    assert first == again
    mine.refresh_from_db()
    assert mine.read_at == first


def test_another_users_notification_is_not_found_and_stays_unread(personas, order):
    mine = notification_about(personas.caseworker, order)
    with pytest.raises(Http404):
        notification_mark_read(user=personas.supervisor, notification_id=mine.pk)
    mine.refresh_from_db()
    assert mine.read_at is None


def test_marking_all_read_counts_only_her_unread(personas, order):
    notification_about(personas.caseworker, order)
    notification_about(personas.caseworker, order, kind="order_expiring")
    theirs = notification_about(personas.supervisor, order)

    assert notifications_mark_all_read(user=personas.caseworker) == 2
    assert notifications_mark_all_read(user=personas.caseworker) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
