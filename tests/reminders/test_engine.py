"""The reminder engine walked through a whole 30-day order with frozen time."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from crisis_ops.notifications.models import Notification
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.services import reminders_claim_due
from protection_orders import services
from protection_orders.models import OrderType
from tests.cases.factories import intake

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
ISSUED = datetime.date(2026, 3, 2)


@pytest.fixture
def order(personas):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 14, 30, tzinfo=ALMATY), tick=False):
        case = intake(personas.caseworker, personas.center)
        return services.order_create(
            actor=personas.caseworker,
            case=case,
            order_type=OrderType.objects.get(code="police-protection"),
            number="ЗП-0142",
            issuing_unit="УП Алмалинского района",
            issued_on=ISSUED,
        )


def walk(start, days, capture, step=datetime.timedelta(minutes=30)):
    """Run the sweep every half hour from start for the given days, sending what it claims."""
    with time_machine.travel(start, tick=False) as clock:
        now = start
        while now < start + datetime.timedelta(days=days):
            with capture(execute=True):
                reminders_claim_due()
            clock.shift(step)
            now += step


def delivered(user):
    return sorted(
        (timezone.localtime(n.created_at), n.kind)
        for n in Notification.objects.filter(recipient=user, reminder__isnull=False)
    )


def at9(day):
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=ALMATY)


def test_a_30_day_order_sends_exactly_the_expected_reminders(
    personas, order, django_capture_on_commit_callbacks
):
    walk(
        datetime.datetime(2026, 3, 2, 15, 0, tzinfo=ALMATY), 34, django_capture_on_commit_callbacks
    )

    expires = ISSUED + datetime.timedelta(days=29)
    checks = [ISSUED + datetime.timedelta(days=d) for d in (7, 14, 21, 28)]
    expected_caseworker = sorted(
        [(at9(expires - datetime.timedelta(days=d)), "order_expiring") for d in (7, 3, 1, 0)]
        + [(at9(day), "police_check_due") for day in checks]
        + [(at9(day + datetime.timedelta(days=1)), "police_check_overdue") for day in checks]
        + [(at9(expires + datetime.timedelta(days=1)), "order_expired_no_decision")]
    )
    assert delivered(personas.caseworker) == expected_caseworker
    # Overdue checks and the missing decision escalate to the supervisor, and only those.
    expected_supervisor = sorted(
        (when, kind)
        for when, kind in expected_caseworker
        if kind in ("police_check_overdue", "order_expired_no_decision")
    )
    assert delivered(personas.supervisor) == expected_supervisor
    assert delivered(personas.caseworker_same_center) == []
    counts = Counter(Notification.objects.values_list("reminder_id", flat=True))
    assert max(counts.values()) == 1
    assert not Reminder.objects.filter(status__in=["pending", "queued"]).exists()


def test_a_recorded_check_cancels_its_due_and_overdue_reminders(
    personas, order, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime.datetime(2026, 3, 8, 16, 0, tzinfo=ALMATY), tick=False):
        services.police_check_record(
            actor=personas.caseworker,
            order=order,
            checked_on=datetime.date(2026, 3, 8),
            unit_officer="УП, ст. лейтенант Н.",
            outcome="complied",
        )
    walk(datetime.datetime(2026, 3, 8, 17, 0, tzinfo=ALMATY), 3, django_capture_on_commit_callbacks)

    kinds = [kind for _when, kind in delivered(personas.caseworker)]
    assert "police_check_due" not in kinds
    assert "police_check_overdue" not in kinds
    assert Reminder.objects.filter(kind="police_check_due", status="cancelled").count() == 1


def test_a_decision_at_expiry_cancels_the_escalation(
    personas, order, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime.datetime(2026, 3, 30, 10, 0, tzinfo=ALMATY), tick=False):
        services.order_record_decision(actor=personas.caseworker, order=order, decision="court")
    walk(datetime.datetime(2026, 3, 31, 0, 0, tzinfo=ALMATY), 2, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(kind="order_expired_no_decision").exists()


def test_the_sweep_twice_at_once_sends_once(personas, order, django_capture_on_commit_callbacks):
    due = at9(ISSUED + datetime.timedelta(days=7))
    with time_machine.travel(due, tick=False), django_capture_on_commit_callbacks(execute=True):
        first = reminders_claim_due()
        second = reminders_claim_due()

    assert first and not second
    assert Notification.objects.filter(kind="police_check_due").count() == 1


def test_reminders_are_written_with_the_order_and_rolled_back_with_it(personas):
    from django.db import transaction

    case = intake(personas.caseworker, personas.center)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.order_create(
            actor=personas.caseworker,
            case=case,
            order_type=OrderType.objects.get(code="police-protection"),
            number="1",
            issuing_unit="УП",
            issued_on=timezone.localdate(),
        )
        assert Reminder.objects.exists()
        raise RuntimeError("the request failed after the order was written")

    assert not Reminder.objects.exists()


def test_a_reminder_never_delivered_ends_failed_for_an_admin_to_see(personas, order, settings):
    due = at9(ISSUED + datetime.timedelta(days=7))
    reminder = Reminder.objects.get(kind="police_check_due", due_at=due)
    # Every claim's message is lost (no worker, no broker): nothing is sent on commit.
    for attempt in range(settings.REMINDER_MAX_CLAIMS + 1):
        now = due + attempt * (settings.REMINDER_REQUEUE_AFTER + datetime.timedelta(minutes=1))
        reminders_claim_due(now=now)

    reminder.refresh_from_db()
    assert reminder.status == "failed"
    assert reminder.claims == settings.REMINDER_MAX_CLAIMS
    assert "not delivered" in reminder.last_error
