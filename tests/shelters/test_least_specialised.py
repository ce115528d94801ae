"""A hold that does not ask for an accessible bed leaves the accessible and isolation
beds for the women who need them (issue 12, "Defaults that do not lie")."""

import pytest

from shelters import services_placements as placements
from shelters.models import Bed
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db


def test_a_hold_without_accessible_takes_the_least_specialised_free_bed(personas):
    shelter = shelter_with_beds(personas.center, beds=3)
    Bed.objects.filter(shelter=shelter, label="1").update(wheelchair_accessible=True)
    Bed.objects.filter(shelter=shelter, label="2").update(isolation=True)
    case = intake(personas.caseworker_other_center, personas.other_center)

    hold = placements.hold_any_free(
        actor=personas.caseworker_other_center, shelter=shelter, kind="adult", case=case
    )

    assert hold.bed.label == "3"


def test_the_accessible_bed_is_taken_only_when_nothing_plainer_is_free(personas):
    shelter = shelter_with_beds(personas.center, beds=2)
    Bed.objects.filter(shelter=shelter, label="1").update(wheelchair_accessible=True)
    first = intake(personas.caseworker_other_center, personas.other_center)
    second = intake(personas.caseworker_other_center, personas.other_center)
    actor = personas.caseworker_other_center

    one = placements.hold_any_free(actor=actor, shelter=shelter, kind="adult", case=first)
    two = placements.hold_any_free(actor=actor, shelter=shelter, kind="adult", case=second)

    assert (one.bed.label, two.bed.label) == ("2", "1")
