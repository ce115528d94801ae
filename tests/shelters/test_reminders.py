"""A stay's ending reminders (shelters/reminders.py): when they go, how a moved end date
or a discharge changes them, and what their e-mails name."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from crisis_ops.notifications.models import Notification
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.services import reminders_claim_due
from shelters import services_placements as placements
from tests.shelters.factories import ALMATY, first_bed, shelter_with_beds

pytestmark = [pytest.mark.django_db, pytest.mark.shelter_beds(2)]

# --- stay-ending reminders --------------------------------------------------------------


def test_stay_ending_reminders_go_3_days_before_and_on_the_day(
    personas, other_case, django_capture_on_commit_callbacks
):
    shelter = shelter_with_beds(personas.center, beds=1)
    admitted = datetime.datetime(2026, 4, 1, 11, 0, tzinfo=ALMATY)
    with time_machine.travel(admitted, tick=False):
        placements.stay_admit(
            actor=personas.shelter_manager,
            bed=first_bed(shelter),
            case=other_case,
            expected_end=datetime.date(2026, 4, 20),
        )

    for day in range(1, 25):
        at = datetime.datetime(2026, 4, day, 9, 1, tzinfo=ALMATY)
        with (
            time_machine.travel(at, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            reminders_claim_due()

    sent = [
        (timezone.localtime(n.created_at).date(), n.recipient.username)
        for n in Notification.objects.filter(kind="stay_ending")
    ]
    recipients = {personas.shelter_manager.username, personas.caseworker_other_center.username}
    assert sorted(sent) == sorted(
        (datetime.date(2026, 4, day), who) for day in (17, 20) for who in recipients
    )


def test_a_moved_end_date_reminds_on_the_new_days_only(
    personas, other_case, django_capture_on_commit_callbacks
):
    shelter = shelter_with_beds(personas.center, beds=1)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 11, tzinfo=ALMATY), tick=False):
        stay, _ = placements.stay_admit(
            actor=personas.shelter_manager,
            bed=first_bed(shelter),
            case=other_case,
            expected_end=datetime.date(2026, 4, 10),
        )
        placements.stay_update(
            actor=personas.shelter_manager, stay=stay, expected_end=datetime.date(2026, 4, 30)
        )

    with (
        time_machine.travel(datetime.datetime(2026, 5, 2, 9, tzinfo=ALMATY), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_claim_due()

    days = {
        timezone.localtime(r.due_at).date()
        for r in Reminder.objects.filter(kind="stay_ending", status="sent")
    }
    assert days == {datetime.date(2026, 4, 27), datetime.date(2026, 4, 30)}


def test_a_discharge_cancels_the_stay_ending_reminders(personas, shelter, other_case):
    stay, _ = placements.stay_admit(
        actor=personas.shelter_manager,
        bed=first_bed(shelter),
        case=other_case,
        expected_end=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert Reminder.objects.filter(kind="stay_ending", status="pending").count() == 4

    placements.stay_discharge(actor=personas.shelter_manager, stay=stay, outcome="family")

    assert not Reminder.objects.filter(kind="stay_ending", status="pending").exists()


# --- stay-ending e-mails ----------------------------------------------------------------


def test_stay_ending_emails_name_the_case_to_its_staff_and_the_code_to_the_shelter(
    personas, other_case, mailoutbox, django_capture_on_commit_callbacks
):
    shelter = shelter_with_beds(personas.center, beds=1)
    personas.shelter_manager.email = "gulnara@example.org"
    personas.shelter_manager.save()
    personas.caseworker_other_center.email = "charlie@example.org"
    personas.caseworker_other_center.save()
    with time_machine.travel(datetime.datetime(2026, 4, 1, 11, tzinfo=ALMATY), tick=False):
        placements.stay_admit(
            actor=personas.shelter_manager,
            bed=first_bed(shelter),
            case=other_case,
            expected_end=datetime.date(2026, 4, 10),
        )
    with (
        time_machine.travel(datetime.datetime(2026, 4, 7, 9, 1, tzinfo=ALMATY), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_claim_due()

    by_recipient = {mail.to[0]: mail.subject + mail.body for mail in mailoutbox}
    manager_mail = by_recipient["gulnara@example.org"]
    caseworker_mail = by_recipient["charlie@example.org"]
    assert other_case.survivor.code in manager_mail
    assert other_case.reference not in manager_mail
    assert other_case.reference in caseworker_mail
    for mail in (manager_mail, caseworker_mail):
        assert other_case.survivor.full_name not in mail
