"""Shelter writes (shelters/services.py) and the board they feed: turn-aways, beds, and
what the board counts and hides."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from crisis_ops.audit.models import AuditEvent
from shelters import services
from shelters import services_placements as placements
from shelters.board import availability_board
from shelters.models import Bed, TurnAway
from tests.shelters.factories import shelter_with_beds

pytestmark = [pytest.mark.django_db, pytest.mark.shelter_beds(2)]

# --- the board --------------------------------------------------------------------------


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


# --- turn-aways and beds ----------------------------------------------------------------


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
