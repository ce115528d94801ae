"""Shelter pages of shelters/views_placements.py: holding a bed, and the bed grid where a
manager confirms, admits, changes and discharges."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from shelters import services_placements as placements
from shelters.models import Bed, Occupancy
from tests.cases.factories import intake
from tests.factories import text
from tests.shelters.factories import (
    bed,
    hold_on,
    minor_intake,
    shelter_with_beds,
    stay_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.shelter_beds(3)]


# --- holding a bed -----------------------------------------------------------------------


def test_a_caseworker_of_another_center_holds_a_bed_for_her_case(
    client_for, personas, shelter, other_case
):
    client = client_for("caseworker_other_center")
    response = client.post(
        reverse("shelters:hold_place", args=[shelter.pk]),
        {"case": other_case.pk, "kind": "adult", "needs": "Диабет"},
    )

    hold = Occupancy.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("shelters:my_holds")
    assert hold.case == other_case and hold.kind == "hold" and hold.needs == "Диабет"
    page = text(client.get(response.url))
    until = timezone.localtime(hold.hold_expires_at).strftime("%H:%M")
    assert f"held for you until {until}" in page
    assert "+7 727 000 00 00" in page
    assert reverse("shelters:hold_release", args=[hold.pk]) in page


def test_the_hold_page_preselects_the_case_from_the_case_page(client_for, shelter, case):
    page = text(
        client_for("caseworker").get(
            reverse("shelters:hold_place", args=[shelter.pk]), {"case": str(case.pk)}
        )
    )
    assert f'<option value="{case.pk}" selected>' in page
    assert case.survivor.code in page


def test_a_taken_shelter_answers_409_and_saves_nothing(client_for, personas, case):
    shelter = shelter_with_beds(personas.center, beds=1)
    hold_on(personas, shelter, case)
    second = intake(personas.caseworker, personas.center)

    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": second.pk, "kind": "adult"}
    )

    assert response.status_code == 409
    assert "This bed was just taken. Choose another one." in text(response)
    assert Occupancy.objects.count() == 1


def test_no_free_bed_of_that_kind_answers_409(client_for, personas, shelter):
    girl = minor_intake(personas.caseworker, personas.center)
    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": girl.pk, "kind": "cot"}
    )

    assert response.status_code == 409
    assert Occupancy.objects.count() == 0


def test_a_case_she_may_not_change_cannot_be_held(client_for, shelter, case):
    response = client_for("caseworker_other_center").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": case.pk, "kind": "adult"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert Occupancy.objects.count() == 0


def test_closed_cases_are_not_offered(client_for, personas, shelter, case):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": case.pk, "kind": "adult"}
    )

    assert response.status_code == 400
    assert Occupancy.objects.count() == 0


def test_a_bad_kind_saves_nothing_and_says_why(client_for, shelter, case):
    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": case.pk, "kind": "sofa"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert Occupancy.objects.count() == 0


def test_her_colleague_releases_a_hold_and_an_outsider_cannot(client_for, personas, shelter, case):
    hold = hold_on(personas, shelter, case)
    url = reverse("shelters:hold_release", args=[hold.pk])

    for persona in ("caseworker_other_center", "coordinator", "org_admin"):
        assert client_for(persona).post(url).status_code == 404
    assert Occupancy.objects.get().ended_at is None

    response = client_for("caseworker_same_center").post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.end_reason == "released"
    again = client_for("caseworker").post(url, follow=True)
    assert "This hold has already ended." in text(again)


def test_my_holds_lists_holds_of_her_cases_only(client_for, personas, shelter, case, other_case):
    hold_on(personas, shelter, case)
    placements.hold_place(
        actor=personas.caseworker_other_center, bed=bed(shelter, "2"), case=other_case
    )

    page = text(client_for("caseworker").get(reverse("shelters:my_holds")))

    assert case.reference in page
    assert other_case.reference not in page


# --- the bed grid ------------------------------------------------------------------------


def test_the_grid_shows_beds_by_state_with_codes_never_names(
    client_for, personas, shelter, case, other_case
):
    placements.hold_place(
        actor=personas.caseworker_other_center,
        bed=bed(shelter, "1"),
        case=other_case,
        needs="Коляска",
    )
    stay_for(
        personas,
        case,
        shelter,
        label="2",
        expected_end=timezone.localdate() + datetime.timedelta(days=200),
    )
    Bed.objects.filter(pk=bed(shelter, "3").pk).update(out_of_service=True)

    page = text(client_for("shelter_manager").get(reverse("shelters:grid", args=[shelter.pk])))

    assert "state-held" in page and "state-occupied" in page and "state-out_of_service" in page
    assert other_case.survivor.code in page and case.survivor.code in page
    assert "Center B" in page and "Коляска" in page
    assert "over 6 months" in page
    assert case.survivor.full_name not in page
    assert case.reference not in page
    assert reverse("cases:case_detail", args=[case.pk]) not in page


def test_one_click_puts_a_bed_out_of_service_and_back(client_for, shelter):
    client = client_for("shelter_manager")
    target = bed(shelter)
    url = reverse("shelters:bed_toggle", args=[target.pk])

    response = client.post(url, {"field": "out_of_service"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "state-out_of_service" in text(response)
    assert "Back in service" in text(response)
    assert "<html" not in text(response)
    target.refresh_from_db()
    assert target.out_of_service

    client.post(url, {"field": "out_of_service"}, HTTP_HX_REQUEST="true")
    response = client.post(url, {"field": "isolation"}, HTTP_HX_REQUEST="true")
    target.refresh_from_db()
    assert not target.out_of_service and target.isolation
    assert "End isolation" in text(response)


def test_an_occupied_bed_cannot_go_out_of_service_and_the_tile_says_why(
    client_for, personas, shelter, case
):
    stay_for(personas, case, shelter)
    response = client_for("shelter_manager").post(
        reverse("shelters:bed_toggle", args=[bed(shelter).pk]),
        {"field": "out_of_service"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert "discharge her first" in text(response)
    assert 'id="bed-' in text(response)
    assert not bed(shelter).out_of_service


def test_a_bad_toggle_field_is_refused(client_for, shelter):
    response = client_for("shelter_manager").post(
        reverse("shelters:bed_toggle", args=[bed(shelter).pk]), {"field": "kind"}
    )

    assert response.status_code == 400
    assert "Choose out of service or isolation." in text(response)


def test_the_manager_confirms_a_hold_with_a_bed_for_her_child(
    client_for, personas, shelter, other_case
):
    hold = placements.hold_place(
        actor=personas.caseworker_other_center, bed=bed(shelter, "1"), case=other_case
    )
    end = timezone.localdate() + datetime.timedelta(days=200)
    response = client_for("shelter_manager").post(
        reverse("shelters:hold_confirm", args=[hold.pk]),
        {
            f"{hold.pk}-expected_end": end.isoformat(),
            f"{hold.pk}-children_beds": [bed(shelter, "2").pk],
        },
        follow=True,
    )

    hold.refresh_from_db()
    assert response.status_code == 200
    assert hold.kind == "stay" and hold.expected_end == end
    assert hold.children_stays.get().bed == bed(shelter, "2")
    page = text(response)
    assert "limited to 6 months" in page
    assert f"{other_case.survivor.code} is admitted" in page


def test_a_bad_confirmation_date_saves_nothing(client_for, personas, shelter, case):
    hold = hold_on(personas, shelter, case)
    response = client_for("shelter_manager").post(
        reverse("shelters:hold_confirm", args=[hold.pk]), {f"{hold.pk}-expected_end": "soon"}
    )

    assert response.status_code == 400
    assert "Enter a valid date" in text(response)
    hold.refresh_from_db()
    assert hold.kind == "hold"


def test_the_manager_releases_a_hold_from_the_grid(client_for, personas, shelter, case):
    hold = hold_on(personas, shelter, case)
    response = client_for("shelter_manager").post(
        reverse("shelters:hold_release", args=[hold.pk]), {"back": "grid", "confirmed": "yes"}
    )

    assert response.url == reverse("shelters:grid", args=[shelter.pk])
    hold.refresh_from_db()
    assert hold.ended_at is not None


def admit(client, target, **data):
    fields = {"survivor_code": "", "admitted_on": timezone.localdate().isoformat()}
    fields.update(data)
    return client.post(reverse("shelters:bed_admit", args=[target.pk]), fields)


def test_the_manager_admits_by_survivor_code(client_for, shelter, case):
    end = timezone.localdate() + datetime.timedelta(days=30)
    response = admit(
        client_for("shelter_manager"),
        bed(shelter),
        survivor_code=case.survivor.code.lower(),
        expected_end=end.isoformat(),
        needs="Без глютена",
    )

    assert response.status_code == 302
    stay = Occupancy.objects.get()
    assert stay.case == case and stay.kind == "stay" and stay.expected_end == end


@pytest.mark.parametrize("code", ["NOPE-0000", "other"])
def test_an_unknown_or_foreign_code_saves_nothing(client_for, shelter, other_case, code):
    code = other_case.survivor.code if code == "other" else code
    response = admit(client_for("shelter_manager"), bed(shelter), survivor_code=code)

    assert response.status_code == 400
    assert "No open case of your center has this survivor code." in text(response)
    assert Occupancy.objects.count() == 0


def test_an_admission_in_the_future_saves_nothing(client_for, shelter, case):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = admit(
        client_for("shelter_manager"),
        bed(shelter),
        survivor_code=case.survivor.code,
        admitted_on=tomorrow.isoformat(),
    )

    assert response.status_code == 400
    assert "cannot be in the future" in text(response)
    assert Occupancy.objects.count() == 0


def test_admitting_to_a_taken_bed_answers_409(client_for, personas, shelter, case):
    hold_on(personas, shelter, case)
    second = intake(personas.caseworker, personas.center)
    response = admit(
        client_for("shelter_manager"), bed(shelter), survivor_code=second.survivor.code
    )

    assert response.status_code == 409
    assert "This bed was just taken. Choose another one." in text(response)
    assert Occupancy.objects.count() == 1


def test_the_manager_discharges_a_stay(client_for, personas, shelter, case):
    stay = stay_for(personas, case, shelter)
    url = reverse("shelters:stay_discharge", args=[stay.pk])

    bad = client_for("shelter_manager").post(url, {"outcome": "vanished"})
    assert bad.status_code == 400
    stay.refresh_from_db()
    assert stay.ended_at is None

    response = client_for("shelter_manager").post(url, {"outcome": "family", "confirmed": "yes"})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.outcome == "family" and stay.ended_at is not None


def test_the_expected_end_moves_and_cannot_go_before_admission(client_for, personas, shelter, case):
    stay = stay_for(personas, case, shelter)
    url = reverse("shelters:stay_edit", args=[stay.pk])
    client = client_for("shelter_manager")

    bad = client.post(url, {"expected_end": "2000-01-01"})
    assert bad.status_code == 400
    assert "cannot end before it starts" in text(bad)
    stay.refresh_from_db()
    assert stay.expected_end is None

    end = timezone.localdate() + datetime.timedelta(days=10)
    assert client.post(url, {"expected_end": end.isoformat()}).status_code == 302
    stay.refresh_from_db()
    assert stay.expected_end == end
