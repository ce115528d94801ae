import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from shelters import services
from shelters.models import Occupancy
from shelters.selectors import availability_board, free_beds
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelter(personas):
    return shelter_with_beds(personas.center, beds=2)


@pytest.fixture
def other_case(personas):
    return intake(personas.caseworker_other_center, personas.other_center)


def test_a_hold_from_another_center_takes_the_bed(personas, shelter, other_case):
    bed = shelter.beds.first()

    hold = services.hold_place(actor=personas.caseworker_other_center, bed=bed, case=other_case)

    assert hold.hold_expires_at - timezone.now() <= datetime.timedelta(minutes=90)
    assert bed not in free_beds()
    with pytest.raises(services.BedTaken):
        services.hold_place(actor=personas.caseworker, bed=bed, case=other_case)


def test_a_hold_expires_by_itself_after_90_minutes(personas, shelter, other_case):
    bed = shelter.beds.first()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.hold_place(actor=personas.caseworker_other_center, bed=bed, case=other_case)
    with time_machine.travel(start + datetime.timedelta(minutes=91), tick=False):
        assert bed in free_beds()
        assert services.holds_expire() == 1
        again = services.hold_place(actor=personas.caseworker, bed=bed, case=other_case)
    assert again.ended_at is None


def test_confirming_turns_the_hold_into_the_stay(personas, shelter, other_case):
    hold = services.hold_place(
        actor=personas.caseworker_other_center, bed=shelter.beds.first(), case=other_case
    )

    stay, warnings = services.hold_confirm(
        actor=personas.shelter_manager,
        hold=hold,
        expected_end=timezone.localdate() + datetime.timedelta(days=200),
    )

    assert (stay.pk, stay.kind) == (hold.pk, "stay")
    assert warnings and "6 months" in warnings[0]
    assert Occupancy.objects.filter(kind="stay", ended_at__isnull=True).count() == 1


def test_children_get_their_own_beds_all_or_none(personas, shelter, other_case):
    mother_bed, child_bed = shelter.beds.all()
    services.hold_place(actor=personas.caseworker, bed=child_bed, case=other_case)

    with pytest.raises(services.BedTaken):
        services.stay_admit(
            actor=personas.shelter_manager,
            bed=mother_bed,
            case=other_case,
            children_beds=[child_bed],
        )

    assert not Occupancy.objects.filter(kind="stay").exists()


def test_the_board_hides_the_address_outside_the_organisation(personas, shelter):
    own = availability_board(user=personas.caseworker)
    other = availability_board(user=personas.caseworker_other_center)

    assert own[0].show_address and not other[0].show_address
    assert other[0].free == {"adult": 2, "child": 0, "cot": 0}


def test_a_discharge_frees_the_bed_and_needs_an_outcome(personas, shelter, other_case):
    stay, _ = services.stay_admit(
        actor=personas.shelter_manager, bed=shelter.beds.first(), case=other_case
    )
    with pytest.raises(ValidationError):
        services.stay_discharge(actor=personas.shelter_manager, stay=stay, outcome="?")

    services.stay_discharge(actor=personas.shelter_manager, stay=stay, outcome="safe_housing")

    assert shelter.beds.first() in free_beds()
