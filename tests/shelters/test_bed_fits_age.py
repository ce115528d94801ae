"""A child's bed or a cot is for a child (issue 12, "Defaults that do not lie"): an adult
(or a woman whose age nobody recorded) is never held or admitted there, page and API
alike; a girl under 18 in an adult bed, or a child on an adult bed, is allowed and said."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shelters import services_placements as placements
from shelters.models import Bed, Occupancy
from tests.cases.factories import intake
from tests.factories import post
from tests.shelters.factories import V1, assert_error_format, bed, minor_intake, shelter_with_beds

pytestmark = pytest.mark.django_db

NOT_UNDER_18 = "she is not recorded as under 18"


@pytest.fixture
def shelter(personas):
    # 1 adult, 2 child, 3 cot, 4 adult
    return shelter_with_beds(personas.center, beds=4, kinds=("adult", "child", "cot"))


@pytest.fixture
def woman(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def girl(personas):
    return minor_intake(personas.caseworker, personas.center)


# --- the services ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["2", "3"])
@pytest.mark.parametrize("age_band", ["35-44", "unknown"])
def test_no_hold_or_stay_puts_a_woman_not_under_18_in_a_child_bed_or_cot(
    personas, shelter, label, age_band
):
    case = intake(personas.caseworker, personas.center, survivor={"age_band": age_band})
    target = bed(shelter, label)

    with pytest.raises(ValidationError, match=NOT_UNDER_18):
        placements.hold_place(actor=personas.caseworker, bed=target, case=case)
    with pytest.raises(ValidationError, match=NOT_UNDER_18):
        placements.stay_admit(actor=personas.shelter_manager, bed=target, case=case)

    assert not Occupancy.objects.exists()


def test_hold_any_free_child_bed_for_a_woman_is_refused_before_looking(personas, shelter, woman):
    with pytest.raises(ValidationError) as excinfo:
        placements.hold_any_free(
            actor=personas.caseworker, shelter=shelter, kind="child", case=woman
        )

    assert NOT_UNDER_18 in excinfo.value.message_dict["kind"][0]
    assert not Occupancy.objects.exists()


def test_a_girl_under_18_takes_a_child_bed_without_a_warning(personas, shelter, girl):
    stay, warnings = placements.stay_admit(
        actor=personas.shelter_manager, bed=bed(shelter, "2"), case=girl
    )

    assert stay.bed.kind == Bed.Kind.CHILD
    assert warnings == []


def test_a_girl_under_18_in_an_adult_bed_is_admitted_with_a_warning(personas, shelter, girl):
    stay, warnings = placements.stay_admit(
        actor=personas.shelter_manager, bed=bed(shelter, "1"), case=girl
    )

    assert stay.bed.kind == Bed.Kind.ADULT
    assert len(warnings) == 1 and "under 18" in warnings[0]


def test_her_child_on_an_adult_bed_is_admitted_with_a_warning(personas, shelter, woman):
    stay, warnings = placements.stay_admit(
        actor=personas.shelter_manager,
        bed=bed(shelter, "1"),
        case=woman,
        children_beds=[bed(shelter, "4")],
    )
    assert stay.children_stays.get().bed.label == "4"
    assert warnings == [
        "A child is placed in an adult bed (Room 1, bed 4): check the shelter's rules allow it."
    ]


def test_confirming_a_hold_with_her_child_on_a_cot_warns_nothing(personas, shelter, woman):
    hold = placements.hold_place(actor=personas.caseworker, bed=bed(shelter, "1"), case=woman)

    stay, warnings = placements.hold_confirm(
        actor=personas.shelter_manager, hold=hold, children_beds=[bed(shelter, "3")]
    )

    assert warnings == []
    assert stay.children_stays.get().bed.kind == Bed.Kind.COT


# --- the pages --------------------------------------------------------------------------------


def test_the_hold_page_refuses_a_child_bed_for_a_woman_and_says_why(client_for, shelter, woman):
    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": woman.pk, "kind": "child"}
    )

    assert response.status_code == 400
    assert NOT_UNDER_18 in response.content.decode()
    assert not Occupancy.objects.exists()


def test_the_admit_page_refuses_a_cot_for_a_woman(client_for, shelter, woman):
    response = client_for("shelter_manager").post(
        reverse("shelters:bed_admit", args=[bed(shelter, "3").pk]),
        {"survivor_code": woman.survivor.code, "admitted_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 400
    assert NOT_UNDER_18 in response.content.decode()
    assert not Occupancy.objects.exists()


def test_the_admit_page_shows_the_under_18_warning(client_for, shelter, girl):
    response = client_for("shelter_manager").post(
        reverse("shelters:bed_admit", args=[bed(shelter, "1").pk]),
        {"survivor_code": girl.survivor.code, "admitted_on": timezone.localdate().isoformat()},
        follow=True,
    )

    assert response.status_code == 200
    assert "She is under 18 and placed in an adult bed" in response.content.decode()
    assert Occupancy.objects.get().case == girl


# --- the API ----------------------------------------------------------------------------------


def test_the_api_refuses_a_child_bed_for_a_woman_by_bed_and_by_kind(client_for, shelter, woman):
    client = client_for("caseworker")

    by_bed = post(client, f"{V1}/holds", {"case": str(woman.pk), "bed": str(bed(shelter, "2").pk)})
    by_kind = post(
        client, f"{V1}/holds", {"case": str(woman.pk), "shelter": str(shelter.pk), "kind": "cot"}
    )
    admit = post(
        client_for("shelter_manager"),
        f"{V1}/stays",
        {"bed": str(bed(shelter, "3").pk), "survivor_code": woman.survivor.code},
    )

    assert_error_format(by_bed, 400)
    assert NOT_UNDER_18 in by_bed.json()["errors"]["non_field_errors"][0]
    assert_error_format(by_kind, 400)
    assert NOT_UNDER_18 in by_kind.json()["errors"]["kind"][0]
    assert_error_format(admit, 400)
    assert not Occupancy.objects.exists()


def test_the_api_answers_the_under_18_warning(client_for, shelter, girl):
    response = post(
        client_for("shelter_manager"),
        f"{V1}/stays",
        {"bed": str(bed(shelter, "1").pk), "survivor_code": girl.survivor.code},
    )

    assert response.status_code == 201, response.content
    assert len(response.json()["warnings"]) == 1
    assert "under 18" in response.json()["warnings"][0]
