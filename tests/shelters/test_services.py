"""Shelter writes: holds, stays, discharges, turn-aways and the one-occupant-per-bed rule."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases import services as case_services
from crisis_ops.audit.models import AuditEvent
from crisis_ops.notifications.models import Notification
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.services import reminders_claim_due
from shelters import services
from shelters import services_placements as placements
from shelters.board import availability_board
from shelters.concurrency import BedTaken
from shelters.models import Bed, Occupancy, TurnAway
from shelters.selectors import free_beds
from shelters.tasks import expire_holds
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def shelter(personas):
    return shelter_with_beds(personas.center, beds=2)


def first_bed(shelter):
    return shelter.beds.order_by("label").first()


def test_a_hold_from_another_center_takes_the_bed(personas, shelter, other_case):
    bed = first_bed(shelter)

    hold = placements.hold_place(actor=personas.caseworker_other_center, bed=bed, case=other_case)

    assert hold.hold_expires_at - timezone.now() <= datetime.timedelta(minutes=90)
    assert bed not in free_beds()
    with pytest.raises(BedTaken):
        placements.hold_place(actor=personas.caseworker, bed=bed, case=other_case)
    assert Occupancy.objects.filter(bed=bed).count() == 1
    assert AuditEvent.objects.filter(action="hold.placed").count() == 1


def test_the_database_itself_refuses_a_second_active_occupant(personas, shelter, other_case):
    """Even a write that skips the services cannot put two people in one bed."""
    bed = first_bed(shelter)
    placements.hold_place(actor=personas.caseworker_other_center, bed=bed, case=other_case)

    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(
            bed=bed, case=other_case, kind="stay", placed_by=personas.shelter_manager
        )


def test_a_hold_expires_by_itself_after_90_minutes(personas, shelter, other_case):
    bed = first_bed(shelter)
    start = datetime.datetime(2026, 11, 20, 22, 15, tzinfo=ALMATY)
    with time_machine.travel(start, tick=False):
        hold = placements.hold_place(
            actor=personas.caseworker_other_center, bed=bed, case=other_case
        )
    with time_machine.travel(start + datetime.timedelta(minutes=89), tick=False):
        assert bed not in free_beds()
        assert expire_holds() == 0
    with time_machine.travel(start + datetime.timedelta(minutes=91), tick=False):
        assert bed in free_beds()
        assert expire_holds() == 1
        again = placements.hold_place(actor=personas.caseworker, bed=bed, case=other_case)

    hold.refresh_from_db()
    assert (hold.end_reason, again.ended_at) == ("expired", None)
    shelter.refresh_from_db()
    assert shelter.beds_updated_at == start + datetime.timedelta(minutes=91)


def test_an_expired_hold_cannot_be_confirmed(personas, shelter, other_case):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        hold = placements.hold_place(
            actor=personas.caseworker_other_center, bed=first_bed(shelter), case=other_case
        )
    with (
        time_machine.travel(start + datetime.timedelta(minutes=95), tick=False),
        pytest.raises(ValidationError, match="expired"),
    ):
        placements.hold_confirm(actor=personas.shelter_manager, hold=hold)

    assert not Occupancy.objects.filter(kind="stay").exists()


def test_confirming_turns_the_hold_into_the_stay(personas, shelter, other_case):
    hold = placements.hold_place(
        actor=personas.caseworker_other_center,
        bed=first_bed(shelter),
        case=other_case,
        needs="Insulin in the fridge",
    )

    stay, warnings = placements.hold_confirm(
        actor=personas.shelter_manager,
        hold=hold,
        expected_end=timezone.localdate() + datetime.timedelta(days=200),
    )

    assert (stay.pk, stay.kind, stay.hold_expires_at) == (hold.pk, "stay", None)
    assert stay.admitted_on == timezone.localdate()
    assert warnings and "6 months" in warnings[0]
    assert Occupancy.objects.filter(kind="stay", ended_at__isnull=True).count() == 1


def test_practical_needs_are_stored_encrypted(personas, shelter, other_case):
    hold = placements.hold_place(
        actor=personas.caseworker_other_center,
        bed=first_bed(shelter),
        case=other_case,
        needs="Insulin in the fridge",
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT needs::text FROM shelters_occupancy")
        (raw,) = cursor.fetchone()
    assert "Insulin" not in raw and b"Insulin".hex() not in raw
    assert Occupancy.objects.get(pk=hold.pk).needs == "Insulin in the fridge"


def test_a_released_hold_frees_the_bed(personas, shelter, other_case):
    hold = placements.hold_place(
        actor=personas.caseworker_other_center, bed=first_bed(shelter), case=other_case
    )

    placements.hold_release(actor=personas.shelter_manager, hold=hold)

    assert first_bed(shelter) in free_beds()
    with pytest.raises(ValidationError, match="already ended"):
        placements.hold_release(actor=personas.shelter_manager, hold=hold)


def test_holding_any_free_bed_of_a_kind_skips_taken_ones(personas, other_case):
    shelter = shelter_with_beds(personas.center, beds=4, kinds=("adult", "child"))
    held = [
        placements.hold_any_free(
            actor=personas.caseworker_other_center, shelter=shelter, kind="adult", case=other_case
        )
        for _ in range(2)
    ]

    assert len({hold.bed_id for hold in held}) == 2
    with pytest.raises(BedTaken):
        placements.hold_any_free(
            actor=personas.caseworker_other_center, shelter=shelter, kind="adult", case=other_case
        )


def test_a_bed_out_of_service_or_a_closed_case_is_not_placed(personas, shelter, other_case):
    bed = first_bed(shelter)
    services.bed_update(actor=personas.shelter_manager, bed=bed, out_of_service=True)
    with pytest.raises(ValidationError, match="out of service"):
        placements.hold_place(actor=personas.caseworker_other_center, bed=bed, case=other_case)

    case = intake(personas.caseworker, personas.center)
    case = case_services.case_change_status(
        actor=personas.caseworker, case=case, status="closed", closed_reason="resolved"
    )
    with pytest.raises(ValidationError, match="closed"):
        placements.hold_place(actor=personas.caseworker, bed=shelter.beds.last(), case=case)
    assert not Occupancy.objects.exists()


def test_a_bed_with_a_resident_cannot_go_out_of_service(personas, shelter, other_case):
    bed = first_bed(shelter)
    placements.stay_admit(actor=personas.shelter_manager, bed=bed, case=other_case)

    with pytest.raises(ValidationError, match="discharge"):
        services.bed_update(actor=personas.shelter_manager, bed=bed, out_of_service=True)

    bed.refresh_from_db()
    assert not bed.out_of_service


def test_children_get_their_own_beds_all_or_none(personas, shelter, other_case):
    mother_bed, child_bed = shelter.beds.order_by("label")
    placements.hold_place(actor=personas.caseworker, bed=child_bed, case=other_case)

    with pytest.raises(BedTaken):
        placements.stay_admit(
            actor=personas.shelter_manager,
            bed=mother_bed,
            case=other_case,
            children_beds=[child_bed],
        )

    assert not Occupancy.objects.filter(kind="stay").exists()


def test_a_discharge_ends_the_childrens_stays_and_needs_an_outcome(personas, other_case):
    shelter = shelter_with_beds(personas.center, beds=3, kinds=("adult", "child", "cot"))
    mother_bed, *children_beds = shelter.beds.order_by("label")
    stay, _ = placements.stay_admit(
        actor=personas.shelter_manager,
        bed=mother_bed,
        case=other_case,
        children_beds=children_beds,
    )
    assert free_beds().filter(shelter=shelter).count() == 0
    with pytest.raises(ValidationError):
        placements.stay_discharge(actor=personas.shelter_manager, stay=stay, outcome="?")

    placements.stay_discharge(actor=personas.shelter_manager, stay=stay, outcome="safe_housing")

    assert free_beds().filter(shelter=shelter).count() == 3
    assert set(Occupancy.objects.values_list("outcome", flat=True)) == {"safe_housing"}


def test_an_admission_cannot_be_in_the_future_or_end_before_it_starts(
    personas, shelter, other_case
):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as future:
        placements.stay_admit(
            actor=personas.shelter_manager,
            bed=first_bed(shelter),
            case=other_case,
            admitted_on=today + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError) as backwards:
        placements.stay_admit(
            actor=personas.shelter_manager,
            bed=first_bed(shelter),
            case=other_case,
            expected_end=today - datetime.timedelta(days=1),
        )

    assert "admitted_on" in future.value.message_dict
    assert "expected_end" in backwards.value.message_dict
    assert not Occupancy.objects.exists()


def test_the_board_hides_the_address_outside_the_organisation(personas, shelter):
    own = availability_board(user=personas.caseworker)
    other = availability_board(user=personas.caseworker_other_center)

    assert own[0].show_address and not other[0].show_address
    assert other[0].free == {"adult": 2, "child": 0, "cot": 0}


def test_the_board_counts_holds_stays_and_beds_out_of_service(personas, other_case):
    shelter = shelter_with_beds(personas.center, beds=6, kinds=("adult", "child"))
    adults = list(shelter.beds.filter(kind="adult").order_by("label"))
    placements.hold_place(actor=personas.caseworker_other_center, bed=adults[0], case=other_case)
    placements.stay_admit(actor=personas.shelter_manager, bed=adults[1], case=other_case)
    services.bed_update(
        actor=personas.shelter_manager,
        bed=shelter.beds.filter(kind="child").first(),
        out_of_service=True,
    )

    (row,) = availability_board(user=personas.caseworker_other_center)

    assert row.free == {"adult": 1, "child": 2, "cot": 0}
    assert (row.total, row.in_service) == (6, 5)
    assert availability_board(user=personas.caseworker_other_center, kind="cot") == []


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


def test_a_turn_away_is_recorded_with_its_reason(personas, shelter):
    turn_away = services.turn_away_record(
        actor=personas.shelter_manager,
        shelter=shelter,
        reason="no_accessible_bed",
        bed_kind="adult",
        people=3,
        requesting_organisation=personas.other_center,
    )

    assert (turn_away.people, turn_away.occurred_on) == (3, timezone.localdate())
    assert AuditEvent.objects.filter(action="turn_away.recorded").count() == 1


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("reason", {"reason": "bored"}),
        ("bed_kind", {"bed_kind": "sofa"}),
        ("people", {"people": 0}),
        ("occurred_on", {"occurred_on": datetime.date(2099, 1, 1)}),
    ],
)
def test_a_bad_turn_away_saves_nothing(personas, shelter, field, overrides):
    given = {"reason": "no_bed", "bed_kind": "adult", "people": 1, **overrides}

    with pytest.raises(ValidationError) as error:
        services.turn_away_record(actor=personas.shelter_manager, shelter=shelter, **given)

    assert field in error.value.message_dict
    assert not TurnAway.objects.exists()


def test_a_bed_label_is_unique_in_its_room(personas, shelter):
    room = shelter.rooms.get()
    with pytest.raises(ValidationError, match="already has a bed"):
        services.bed_create(actor=personas.shelter_manager, room=room, label="1")
    bed = services.bed_create(actor=personas.shelter_manager, room=room, label="3", kind="cot")
    assert Bed.objects.get(pk=bed.pk).shelter_id == shelter.pk


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


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_caseworker_hears_her_hold_was_confirmed(
    personas, shelter, other_case, mailoutbox, django_capture_on_commit_callbacks
):
    personas.caseworker_other_center.email = "charlie@example.org"
    personas.caseworker_other_center.save()
    hold = placements.hold_place(
        actor=personas.caseworker_other_center, bed=first_bed(shelter), case=other_case
    )

    with django_capture_on_commit_callbacks(execute=True):
        placements.hold_confirm(actor=personas.shelter_manager, hold=hold)

    assert kinds_for(personas.caseworker_other_center) == ["hold_confirmed"]
    assert kinds_for(personas.shelter_manager) == []
    (mail,) = mailoutbox
    assert other_case.reference in mail.subject and "confirmed" in mail.body
    assert other_case.survivor.full_name not in mail.subject + mail.body


def test_a_release_is_told_to_the_caseworker_unless_she_released_it_herself(
    personas, shelter, other_case
):
    beds = list(shelter.beds.order_by("label"))
    by_shelter = placements.hold_place(
        actor=personas.caseworker_other_center, bed=beds[0], case=other_case
    )
    by_herself = placements.hold_place(
        actor=personas.caseworker_other_center, bed=beds[1], case=other_case
    )

    placements.hold_release(actor=personas.shelter_manager, hold=by_shelter)
    placements.hold_release(actor=personas.caseworker_other_center, hold=by_herself)

    assert kinds_for(personas.caseworker_other_center) == ["hold_released"]
    assert Notification.objects.get(kind="hold_released").object_id == by_shelter.pk


def test_an_expired_hold_is_told_once(personas, shelter, other_case):
    start = datetime.datetime(2026, 11, 20, 22, 15, tzinfo=ALMATY)
    with time_machine.travel(start, tick=False):
        placements.hold_place(
            actor=personas.caseworker_other_center, bed=first_bed(shelter), case=other_case
        )
    with time_machine.travel(start + datetime.timedelta(minutes=91), tick=False):
        assert expire_holds() == 1
        assert expire_holds() == 0

    assert kinds_for(personas.caseworker_other_center) == ["hold_expired"]
