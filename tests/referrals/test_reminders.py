"""Referral reminders through the outbox, with frozen time: the answer overdue (caseworker,
then the supervisor), and the consent-expiring warnings for a consent a live referral needs."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from crisis_ops.notifications.models import Notification
from crisis_ops.reminders.services import reminders_claim_due
from referrals import services
from tests.cases.factories import intake
from tests.referrals.factories import center_partner, consent, partner

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
SENT = datetime.datetime(2026, 3, 2, 14, 30, tzinfo=ALMATY)


def walk(start, days, capture, step=datetime.timedelta(hours=1)):
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(int(days * 24 / (step.total_seconds() / 3600))):
            with capture(execute=True):
                reminders_claim_due()
            clock.shift(step)


def received(user):
    return sorted(
        (timezone.localtime(n.created_at).date(), n.kind)
        for n in Notification.objects.filter(recipient=user, reminder__isnull=False)
    )


@pytest.fixture
def sent(personas):
    """A legal-aid referral (answer within 72 h) relying on a consent expiring on 20 March."""
    with time_machine.travel(SENT, tick=False):
        case = intake(personas.caseworker, personas.center)
        given = consent(
            personas.caseworker,
            case,
            "referral_legal",
            ["identity"],
            expires_on=datetime.date(2026, 3, 20),
        )
        referral = services.referral_send(
            actor=personas.caseworker,
            case=case,
            partner=partner("legal"),
            purpose="legal_aid",
            parts=["identity"],
            delivery="handed",
        )
    return referral, given


def test_answer_overdue_goes_to_the_caseworker_then_escalates_to_the_supervisor(
    personas, sent, django_capture_on_commit_callbacks
):
    walk(SENT, 21, django_capture_on_commit_callbacks)

    # Due 5 March 14:30; overdue at 09:00 the next day; the supervisor a day later.
    assert received(personas.caseworker) == [
        (datetime.date(2026, 3, 6), "referral_answer_overdue"),
        (datetime.date(2026, 3, 7), "referral_answer_escalated"),
        (datetime.date(2026, 3, 13), "consent_expiring"),
        (datetime.date(2026, 3, 19), "consent_expiring"),
    ]
    assert received(personas.supervisor) == [
        (datetime.date(2026, 3, 7), "referral_answer_escalated")
    ]


def test_an_answer_stops_the_overdue_reminders(personas, sent, django_capture_on_commit_callbacks):
    referral, _given = sent
    with time_machine.travel(SENT + datetime.timedelta(days=1), tick=False):
        services.referral_accept(actor=personas.caseworker, referral=referral)  # her own record

    walk(SENT, 8, django_capture_on_commit_callbacks)

    assert [kind for _day, kind in received(personas.caseworker)] == []
    assert received(personas.supervisor) == []


def test_consent_warnings_stop_when_no_live_referral_relies_on_it(
    personas, sent, django_capture_on_commit_callbacks
):
    referral, _given = sent
    with time_machine.travel(SENT + datetime.timedelta(days=1), tick=False):
        services.referral_decline(
            actor=personas.caseworker, referral=referral, reason="no_capacity"
        )

    walk(SENT, 21, django_capture_on_commit_callbacks)

    assert received(personas.caseworker) == []


def test_a_consent_with_two_referrals_warns_once_a_day(
    personas, django_capture_on_commit_callbacks
):
    with time_machine.travel(SENT, tick=False):
        case = intake(personas.caseworker, personas.center)
        consent(
            personas.caseworker,
            case,
            "referral_center",
            ["identity"],
            expires_on=datetime.date(2026, 3, 10),
        )
        for organisation_name in ("B", "C"):
            from crisis_ops.organisations.models import Organisation

            organisation = Organisation.objects.create(
                name=f"Center {organisation_name}2", kind="ngo", region=case.organisation.region
            )
            services.referral_send(
                actor=personas.caseworker,
                case=case,
                partner=center_partner(organisation),
                purpose="case_management",
                parts=["identity"],
            )

    walk(SENT, 9, django_capture_on_commit_callbacks)

    warnings = [day for day, kind in received(personas.caseworker) if kind == "consent_expiring"]
    assert warnings == [datetime.date(2026, 3, 3), datetime.date(2026, 3, 9)]


def test_an_unanswered_transfer_request_reminds_the_owning_center(
    personas, django_capture_on_commit_callbacks
):
    from tests.referrals.factories import ask, helping

    with time_machine.travel(SENT, tick=False):
        case = intake(personas.caseworker, personas.center)
        ask(personas, helping(personas, case))

    walk(SENT, 5, django_capture_on_commit_callbacks)

    # A center answers within 48 h: due 4 March 14:30, overdue the 5th, escalated the 6th —
    # to the center that owes the answer, never to the one that asked.
    assert received(personas.caseworker) == [
        (datetime.date(2026, 3, 5), "referral_answer_overdue"),
        (datetime.date(2026, 3, 6), "referral_answer_escalated"),
    ]
    assert received(personas.supervisor) == [
        (datetime.date(2026, 3, 6), "referral_answer_escalated")
    ]
    assert received(personas.caseworker_other_center) == []
