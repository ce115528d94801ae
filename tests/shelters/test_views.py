"""Shelter pages of shelters/views.py: the board, set-up and turn-aways, by persona."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shelters import services
from shelters import services_placements as placements
from shelters.models import Bed, Occupancy, Room, Shelter, TurnAway
from tests.cases.factories import intake
from tests.factories import region, text
from tests.queries import assert_queries_do_not_grow
from tests.shelters.factories import (
    ADDRESS_A,
    shelter_with_beds,
    stay_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.shelter_beds(3)]


# --- the board ---------------------------------------------------------------------------


def test_board_shows_free_beds_by_kind_and_the_intake_phone(client_for, personas):
    shelter_with_beds(personas.center, beds=4, kinds=("adult", "child"))
    page = text(client_for("caseworker_other_center").get(reverse("shelters:board")))

    assert "Убежище «Шанс»" in page
    assert "Center A" in page
    assert '<dd class="free-adult">2</dd>' in page
    assert '<dd class="free-child">2</dd>' in page
    assert '<dd class="free-cot">0</dd>' in page
    assert "+7 727 000 00 00" in page
    assert 'hx-trigger="every 30s"' in page
    assert "X-Background-Refresh" in page


def test_the_street_address_is_shown_only_to_the_shelters_own_organisation(client_for, shelter):
    for name in ("board", "board_rows", "board_csv"):
        url = reverse(f"shelters:{name}")
        own = client_for("caseworker").get(url).content.decode()
        other = client_for("caseworker_other_center").get(url).content.decode()
        assert ADDRESS_A in own, name
        assert ADDRESS_A not in other, name
        assert "Убежище «Шанс»" in other, name


def test_the_csv_lists_the_board_columns(client_for, personas, shelter):
    response = client_for("caseworker_other_center").get(reverse("shelters:board_csv"))

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # so Excel reads the Cyrillic right
    header, row = body.removeprefix("\ufeff").splitlines()[:2]
    assert header.startswith("Region,Shelter,Organisation,Free adult beds")
    assert "Убежище «Шанс»,Center A,3,0,0,0,0,3,3,+7 727 000 00 00" in row
    assert row.endswith(",")


def test_the_csv_defuses_spreadsheet_formulas(client_for, personas):
    shelter_with_beds(personas.center, name="=HYPERLINK(1)")
    body = client_for("caseworker").get(reverse("shelters:board_csv")).content.decode()

    assert "'=HYPERLINK(1)" in body


def test_board_filters_by_region_kind_and_accessibility(client_for, personas):
    shelter_with_beds(personas.center, name="Алматы взрослые", beds=2)
    astana = shelter_with_beds(personas.center, name="Астана дети", beds=2, kinds=("child",))
    astana.region = region("astana")
    astana.save()
    accessible = shelter_with_beds(personas.center, name="Доступный", beds=1)
    accessible.beds.update(wheelchair_accessible=True)
    client = client_for("caseworker")
    url = reverse("shelters:board_rows")

    by_region = text(client.get(url, {"region": region("astana").pk}))
    by_kind = text(client.get(url, {"kind": "child"}))
    by_access = text(client.get(url, {"accessible": "on"}))

    assert "Астана дети" in by_region and "Алматы взрослые" not in by_region
    assert "Астана дети" in by_kind and "Доступный" not in by_kind
    assert "Доступный" in by_access and "Алматы взрослые" not in by_access


def test_bad_filter_values_are_named_and_ignored(client_for, shelter):
    response = client_for("caseworker").get(
        reverse("shelters:board"), {"region": "not-a-region", "kind": "sofa"}
    )

    assert response.status_code == 200
    assert "Some filters could not be read" in text(response)
    assert "Убежище «Шанс»" in text(response)


def test_a_shelter_not_updated_for_a_day_is_marked_stale(client_for, shelter):
    Shelter.objects.filter(pk=shelter.pk).update(
        beds_updated_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert "Not updated for over a day" in text(client_for("caseworker").get("/shelters/"))

    Shelter.objects.filter(pk=shelter.pk).update(
        beds_updated_at=timezone.now() - datetime.timedelta(hours=2)
    )
    page = text(client_for("caseworker").get("/shelters/"))
    assert "Not updated for over a day" not in page
    assert "Beds updated 2" in page


def test_only_who_can_hold_sees_the_hold_action(client_for, shelter):
    hold_url = reverse("shelters:hold_place", args=[shelter.pk])
    assert hold_url in text(client_for("caseworker_other_center").get("/shelters/"))
    assert hold_url not in text(client_for("coordinator").get("/shelters/"))


def test_board_queries_do_not_grow_with_the_shelters(client_for, personas):
    client = client_for("caseworker")
    for n in range(2):
        shelter_with_beds(personas.center, name=f"Дом {n}", beds=2)

    def six_more():
        for n in range(2, 8):
            shelter_with_beds(personas.other_center, name=f"Дом {n}", beds=2)

    page = assert_queries_do_not_grow(
        lambda: client.get(reverse("shelters:board")), six_more, at_most=25
    )

    assert page.status_code == 200
    assert text(page).count('class="shelter-row') == 8


def test_grid_queries_do_not_grow_with_the_beds_holds_and_stays(
    client_for, personas, shelter, case, other_case
):
    """One of each to start (a hold, a stay), then more rooms, beds, holds and stays."""
    client = client_for("shelter_manager")
    url = reverse("shelters:grid", args=[shelter.pk])
    beds = list(shelter.beds.order_by("label"))
    placements.hold_place(actor=personas.caseworker_other_center, bed=beds[0], case=other_case)
    placements.stay_admit(actor=personas.shelter_manager, bed=beds[1], case=case)

    def more_rooms_beds_holds_and_stays():
        room = Room.objects.create(shelter=shelter, name="2")
        new = [Bed.objects.create(shelter=shelter, room=room, label=f"2-{n}") for n in range(6)]
        third = intake(personas.caseworker_other_center, personas.other_center)
        placements.hold_place(actor=personas.caseworker_other_center, bed=beds[2], case=third)
        for new_bed in new[:2]:
            resident = intake(personas.caseworker, personas.center)
            placements.stay_admit(actor=personas.shelter_manager, bed=new_bed, case=resident)

    page = assert_queries_do_not_grow(
        lambda: client.get(url), more_rooms_beds_holds_and_stays, at_most=40
    )

    assert page.status_code == 200
    assert case.survivor.code in text(page)
    assert Occupancy.objects.filter(bed__shelter=shelter, ended_at=None).count() == 5


# --- set-up ------------------------------------------------------------------------------


def test_an_org_admin_creates_a_shelter_then_a_room_and_a_bed(client_for, personas):
    client = client_for("org_admin")
    response = client.post(
        reverse("shelters:shelter_new"),
        {
            "organisation": personas.center.pk,
            "name": "Дом надежды",
            "region": region("almaty-city").pk,
            "address": "ул. Тайная 1",
            "intake_phone": "+7 727 111 22 33",
        },
    )
    shelter = Shelter.objects.get()
    assert response.url == reverse("shelters:shelter_setup", args=[shelter.pk])
    assert shelter.organisation == personas.center

    client.post(reverse("shelters:room_add", args=[shelter.pk]), {"name": "101"})
    room = Room.objects.get(shelter=shelter)
    client.post(
        reverse("shelters:bed_add", args=[shelter.pk]),
        {"room": room.pk, "label": "A", "kind": "cot", "wheelchair_accessible": "on"},
    )
    new_bed = Bed.objects.get(shelter=shelter)
    assert new_bed.kind == "cot" and new_bed.wheelchair_accessible

    duplicate = client.post(
        reverse("shelters:bed_add", args=[shelter.pk]),
        {"room": room.pk, "label": "A", "kind": "cot"},
    )
    assert duplicate.status_code == 400
    assert "already has a bed with that label" in text(duplicate)
    assert Bed.objects.count() == 1


def test_a_shelter_for_another_organisation_cannot_be_created(client_for, personas):
    response = client_for("org_admin").post(
        reverse("shelters:shelter_new"),
        {
            "organisation": personas.other_center.pk,
            "name": "Чужой",
            "region": region("almaty-city").pk,
            "address": "x",
            "intake_phone": "+7 727 111 22 33",
        },
    )
    assert response.status_code == 400
    assert Shelter.objects.count() == 0


def test_a_bad_phone_saves_nothing_and_says_why(client_for, personas, shelter):
    response = client_for("shelter_manager").post(
        reverse("shelters:shelter_setup", args=[shelter.pk]),
        {
            "name": "Новое имя",
            "region": shelter.region_id,
            "address": ADDRESS_A,
            "intake_phone": "call me",
            "is_active": "on",
        },
    )

    assert response.status_code == 400
    assert "Enter a phone number" in text(response)
    shelter.refresh_from_db()
    assert shelter.name == "Убежище «Шанс»"


def test_a_shelter_with_residents_cannot_close(client_for, personas, shelter, case):
    stay_for(personas, case, shelter)
    response = client_for("shelter_manager").post(
        reverse("shelters:shelter_setup", args=[shelter.pk]),
        {
            "name": shelter.name,
            "region": shelter.region_id,
            "address": ADDRESS_A,
            "intake_phone": shelter.intake_phone,
        },
    )

    assert response.status_code == 400
    assert "Discharge every resident" in text(response)
    shelter.refresh_from_db()
    assert shelter.is_active


# --- turn-aways --------------------------------------------------------------------------


def turn_away(client, shelter, **data):
    fields = {
        "shelter": shelter.pk,
        "reason": "no_bed",
        "bed_kind": "adult",
        "people": 2,
        "occurred_on": timezone.localdate().isoformat(),
    }
    fields.update(data)
    return client.post(reverse("shelters:turn_aways"), fields)


def test_a_caseworker_records_a_turn_away_for_her_center(client_for, personas, shelter):
    response = turn_away(client_for("caseworker_other_center"), shelter)

    assert response.status_code == 302
    recorded = TurnAway.objects.get()
    assert recorded.requesting_organisation == personas.other_center
    assert recorded.people == 2


def test_the_manager_records_a_turn_away_at_her_shelter(client_for, shelter):
    assert turn_away(client_for("shelter_manager"), shelter).status_code == 302
    assert TurnAway.objects.get().requesting_organisation is None


def test_bad_turn_away_input_saves_nothing(client_for, shelter):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = client_for("caseworker")

    too_many = turn_away(client, shelter, people=50)
    future = turn_away(client, shelter, occurred_on=tomorrow.isoformat())

    assert too_many.status_code == 400 and "Between 1 and 20 people" in text(too_many)
    assert future.status_code == 400 and "cannot be in the future" in text(future)
    assert TurnAway.objects.count() == 0


def test_the_coordinator_sees_the_figures_but_cannot_record(client_for, personas, shelter):
    services.turn_away_record(
        actor=personas.shelter_manager, shelter=shelter, reason="no_bed", bed_kind="adult", people=3
    )
    services.turn_away_record(
        actor=personas.shelter_manager,
        shelter=shelter,
        reason="quarantine",
        bed_kind="child",
        occurred_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    client = client_for("coordinator")

    page = text(client.get(reverse("shelters:turn_aways")))
    assert "No free bed" in page and "<td>3</td>" in page
    assert "Quarantine" not in page
    assert "Record a turn-away" not in page
    assert turn_away(client, shelter).status_code == 403
    assert TurnAway.objects.count() == 2

    start = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    older = text(client.get(reverse("shelters:turn_aways"), {"start": start}))
    assert "Quarantine" in older


def test_bad_dates_fall_back_to_the_last_30_days_with_a_message(client_for):
    response = client_for("caseworker").get(reverse("shelters:turn_aways"), {"start": "yesterday"})

    assert response.status_code == 200
    assert "Those dates could not be read" in text(response)
