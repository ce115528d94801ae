"""seed_demo gives every demo center a shelter a developer can click through."""

import pytest
from django.core.management import call_command

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership, Organisation
from shelters.models import Bed, Occupancy, Room, Shelter, TurnAway
from shelters.selectors import free_beds, holds_for_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    return Shelter.objects.select_related("organisation")


def test_every_demo_center_gets_a_shelter_with_rooms_and_a_mix_of_beds(seeded):
    assert seeded.count() == Organisation.objects.count() == 3
    for shelter in seeded:
        beds = Bed.objects.filter(shelter=shelter)
        assert 2 <= Room.objects.filter(shelter=shelter).count() <= 4, shelter
        assert 12 <= beds.count() <= 20, shelter
        assert set(beds.values_list("kind", flat=True)) == {"adult", "child", "cot"}, shelter
        assert beds.filter(wheelchair_accessible=True).count() >= 2, shelter
        assert beds.filter(isolation=True, kind="adult").count() == 1, shelter
        assert beds.filter(out_of_service=True).count() == 1, shelter
        assert shelter.region_id == shelter.organisation.region_id
        assert shelter.address and shelter.intake_phone.startswith("+7 7")
        assert shelter.beds_updated_at is not None
        # Room for a caseworker to hold a bed in every shelter.
        assert free_beds().filter(shelter=shelter, kind="adult").exists(), shelter


def test_stays_are_of_the_centers_own_cases_and_one_brings_her_children(seeded):
    stays = Occupancy.objects.filter(kind="stay", ended_at__isnull=True).select_related(
        "bed__shelter", "case"
    )
    mothers = [stay for stay in stays if stay.accompanies_id is None]
    assert len(mothers) == 3 * 3
    for stay in mothers:
        assert stay.case.organisation_id == stay.bed.shelter.organisation_id
        assert stay.admitted_on < stay.expected_end
        assert stay.bed.kind == "adult" and not stay.bed.out_of_service
    children = [stay for stay in stays if stay.accompanies_id is not None]
    assert {stay.bed.kind for stay in children} == {"child"}
    assert len({stay.accompanies_id for stay in children}) == 3
    for child in children:
        assert child.accompanies.bed.shelter_id == child.bed.shelter_id
        assert child.case_id == child.accompanies.case_id
    # A case has at most one mother's bed.
    assert len({stay.case_id for stay in mothers}) == len(mothers)


def test_one_active_hold_placed_by_a_caseworker_of_another_center(seeded):
    hold = Occupancy.objects.select_related("bed__shelter", "case", "placed_by").get(
        kind="hold", ended_at__isnull=True
    )

    shelter_org = hold.bed.shelter.organisation_id
    assert hold.case.organisation_id != shelter_org
    placer_orgs = set(
        Membership.objects.filter(user=hold.placed_by, role="caseworker").values_list(
            "organisation_id", flat=True
        )
    )
    assert hold.case.organisation_id in placer_orgs
    assert shelter_org not in placer_orgs
    # The shelter's own manager (gulnara) has it to confirm.
    gulnara = User.objects.get(username="gulnara")
    assert list(holds_for_manager(user=gulnara)) == [hold]
    assert hold.hold_expires_at is not None
    assert not free_beds().filter(pk=hold.bed_id).exists()


def test_turn_aways_record_every_reason(seeded):
    assert set(TurnAway.objects.values_list("reason", flat=True)) == set(TurnAway.Reason.values)
    assert TurnAway.objects.filter(requesting_organisation__isnull=False).exists()
    for shelter in seeded:
        assert TurnAway.objects.filter(shelter=shelter).count() >= 3


def test_seeding_twice_adds_nothing(seeded):
    counts = (
        Shelter.objects.count(),
        Room.objects.count(),
        Bed.objects.count(),
        Occupancy.objects.count(),
        TurnAway.objects.count(),
    )

    call_command("seed_demo")

    assert (
        Shelter.objects.count(),
        Room.objects.count(),
        Bed.objects.count(),
        Occupancy.objects.count(),
        TurnAway.objects.count(),
    ) == counts
    assert counts[0] == 3
