"""Order services' bad input, the next-check arithmetic and the reminder e-mails."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.tasks import send_notification_email
from protection_orders import selectors, services
from protection_orders.models import OrderType, PoliceCheck, ProtectionOrder
from tests.cases.factories import intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


def create(actor, case, issued_on, expires_on=None):
    return services.order_create(
        actor=actor,
        case=case,
        order_type=OrderType.objects.get(code="police-protection"),
        number="ЗП-1",
        issuing_unit="УП",
        issued_on=issued_on,
        expires_on=expires_on,
    )


def test_an_order_beyond_the_type_maximum_saves_nothing(personas, case):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as raised:
        create(personas.caseworker, case, today, today + datetime.timedelta(days=30))

    assert "expires_on" in raised.value.message_dict
    assert ProtectionOrder.objects.count() == 0


def test_a_check_in_the_future_saves_nothing(personas, case):
    order = create(personas.caseworker, case, timezone.localdate())

    with pytest.raises(ValidationError):
        services.police_check_record(
            actor=personas.caseworker,
            order=order,
            checked_on=timezone.localdate() + datetime.timedelta(days=1),
            unit_officer="УП",
            outcome="complied",
        )

    assert PoliceCheck.objects.count() == 0


@pytest.mark.parametrize(
    ("checked_after_days", "next_due_after_days"),
    [(None, 7), (0, 7), (1, 14), (7, 14), (8, 21), (27, None)],
)
def test_the_next_check_follows_the_interval_the_last_check_covers(
    personas, case, checked_after_days, next_due_after_days
):
    issued = timezone.localdate() - datetime.timedelta(days=28)
    order = create(personas.caseworker, case, issued)
    last = None if checked_after_days is None else issued + datetime.timedelta(checked_after_days)

    due = selectors.next_check_due(order=order, last_checked_on=last)

    expected = (
        None if next_due_after_days is None else issued + datetime.timedelta(next_due_after_days)
    )
    assert due == expected


def test_a_check_not_done_covers_no_due_date(personas, case):
    issued = timezone.localdate() - datetime.timedelta(days=10)
    order = create(personas.caseworker, case, issued)
    services.police_check_record(
        actor=personas.caseworker,
        order=order,
        checked_on=issued + datetime.timedelta(days=5),
        unit_officer="УП",
        outcome="not_done",
    )

    schedule = selectors.check_schedule(order=order, checks=order.checks.all())
    (summary,) = selectors.order_summaries_for_case(case=case)

    assert schedule[0].covered_by is None
    assert schedule[0].is_past
    assert summary.next_check_due == issued + datetime.timedelta(days=7)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("order_expiring", "expires soon"),
        ("police_check_due", "is due"),
        ("police_check_overdue", "overdue"),
        ("order_expired_no_decision", "no decision"),
    ],
)
def test_each_reminder_kind_has_its_own_email_naming_only_the_case_reference(
    personas, case, kind, words
):
    order = create(personas.caseworker, case, timezone.localdate())
    personas.caseworker.language = "en"
    personas.caseworker.save(update_fields=["language"])
    notification = Notification.objects.create(
        recipient=personas.caseworker,
        kind=kind,
        object_type="protection_orders.protectionorder",
        object_id=order.pk,
    )

    send_notification_email(str(notification.pk))
    send_notification_email(str(notification.pk))

    (message,) = mail.outbox
    assert words in message.subject
    assert case.reference in message.subject
    assert case.reference in message.body
    assert case.survivor.full_name not in str(message.subject) + str(message.body)


def test_the_legal_basis_is_shown_in_the_users_language(db):
    from django.utils import translation

    from protection_orders.models import OrderType

    order_type = OrderType.objects.get(code="police-protection")
    with translation.override("ru"):
        assert order_type.legal_basis_text.startswith("Закон Республики Казахстан")
    with translation.override("kk"):
        assert "Заңы" in order_type.legal_basis_text
    with translation.override("en"):
        assert order_type.legal_basis_text.startswith("Law of the Republic")
