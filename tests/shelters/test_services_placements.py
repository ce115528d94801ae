"""Placements (shelters/services_placements.py): holds, stays and discharges, children's
beds, and the one-occupant-per-bed rule."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases import services as case_services
from crisis_ops.audit.models import AuditEvent
from shelters import services
from shelters import services_placements as placements
from shelters.concurrency import BedTaken
from shelters.models import Occupancy
from shelters.selectors import free_beds
from shelters.tasks import expire_holds
from tests.cases.factories import intake
from tests.shelters.factories import ALMATY, first_bed, shelter_with_beds

pytestmark = [pytest.mark.django_db, pytest.mark.shelter_beds(2)]

# --- holds and stays --------------------------------------------------------------------


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
