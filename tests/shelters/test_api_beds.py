"""The shelters API (shelters/api.py) for beds, availability and turn-aways: who sees and
changes what, the address rule and bad input."""

import datetime
import uuid

import pytest
from django.utils import timezone

from shelters import services
from shelters.models import Bed, TurnAway
from tests.factories import patch, post, region
from tests.shelters.factories import (
    ADDRESS_A,
    ADDRESS_B,
    SIGNED_IN,
    V1,
    assert_error_format,
    bed,
    hold_for,
    shelter_with_beds,
    stay_for,
    today,
)

pytestmark = pytest.mark.django_db


# --- beds ----------------------------------------------------------------------------------


def test_an_org_admin_sees_the_beds_as_her_setup_page_lists_them(
    client_for, personas, shelter, case_a, case_b
):
    """Issue 10 finding 2: she sets the shelter up but does not run its grid (the grid
    page is a 404 to her), so no bed shows its state, survivor code, needs or center."""
    hold_for(personas, case_b, shelter, "1")
    stay_for(personas, case_a, shelter, "4", needs="Без глютена")

    response = client_for("org_admin").get(f"{V1}/shelters/{shelter.pk}/beds")

    assert response.status_code == 200
    beds = {row["label"]: row for row in response.json()}
    assert sorted(beds) == list("123456")
    assert {(row["state"], row["occupancy"]) for row in beds.values()} == {(None, None)}
    text = response.content.decode()
    for secret in (case_b.survivor.code, case_a.survivor.code, "Без глютена", "Center B"):
        assert secret not in text
    assert client_for("org_admin").get(f"/shelters/{shelter.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["shelter_manager"])
def test_the_grid_shows_each_bed_state_with_the_code_but_no_name(
    client_for, personas, shelter, case_a, case_b, persona
):
    hold = hold_for(personas, case_b, shelter, "1")
    stay_for(personas, case_a, shelter, "4", needs="Без глютена")
    services.bed_update(actor=personas.shelter_manager, bed=bed(shelter, "3"), out_of_service=True)

    response = client_for(persona).get(f"{V1}/shelters/{shelter.pk}/beds")

    assert response.status_code == 200
    beds = {row["label"]: row for row in response.json()}
    assert [beds[label]["state"] for label in "123456"] == [
        "held",
        "free",
        "out_of_service",
        "occupied",
        "free",
        "free",
    ]
    assert beds["1"]["occupancy"]["id"] == str(hold.pk)
    assert beds["1"]["occupancy"]["survivor_code"] == case_b.survivor.code
    assert beds["1"]["occupancy"]["placing_center"] == "Center B"
    assert beds["4"]["occupancy"]["kind"] == "stay"
    assert beds["4"]["occupancy"]["needs"] == "Без глютена"
    assert beds["2"]["occupancy"] is None
    assert beds["2"]["kind"] == "child"
    assert beds["1"]["room"]["name"] == "1"
    text = response.content.decode()
    for secret in (case_b.survivor.full_name, case_b.reference, case_a.reference):
        assert secret not in text


@pytest.mark.parametrize(
    "persona", ["caseworker", "supervisor", "coordinator", "caseworker_other_center"]
)
def test_others_do_not_see_the_grid(client_for, shelter, persona):
    assert_error_format(client_for(persona).get(f"{V1}/shelters/{shelter.pk}/beds"), 404)


def test_a_bed_in_a_new_room_adds_the_room(client_for, shelter):
    url = f"{V1}/shelters/{shelter.pk}/beds"
    client = client_for("org_admin")

    first = post(client, url, {"room": "2", "label": "A", "kind": "cot", "isolation": True})
    second = post(client, url, {"room": "2", "label": "B"})

    assert first.status_code == second.status_code == 201
    assert first.json()["room"] == second.json()["room"]
    assert first.json()["state"] is None  # she sets beds up; the grid is the managers'
    assert first.json()["kind"] == "cot"
    assert first.json()["isolation"] is True
    assert shelter.rooms.count() == 2
    assert Bed.objects.filter(room__name="2").count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"room": "1", "label": "1"}, "label"),  # bed 1 of room 1 exists
        ({"room": "9", "label": "   "}, "label"),
        ({"room": "9", "label": "A", "kind": "sofa"}, "kind"),
        ({"room": "", "label": "A"}, "room"),
        ({"room": "9" * 500, "label": "A"}, "room"),
        ({"room": ["9"], "label": "A"}, "room"),
    ],
)
def test_a_bad_bed_saves_no_bed_and_no_room(client_for, shelter, body, field):
    response = post(client_for("org_admin"), f"{V1}/shelters/{shelter.pk}/beds", body)

    assert_error_format(response, 400)
    assert field in response.json()["errors"]
    assert shelter.rooms.count() == 1
    assert shelter.beds.count() == 6


@pytest.mark.parametrize(
    "persona", ["caseworker", "supervisor", "coordinator", "caseworker_other_center"]
)
def test_others_cannot_add_a_bed(client_for, shelter, persona):
    response = post(
        client_for(persona), f"{V1}/shelters/{shelter.pk}/beds", {"room": "2", "label": "Z"}
    )

    assert_error_format(response, 404)
    assert shelter.beds.count() == 6


def test_the_manager_changes_a_bed_in_one_call(client_for, shelter):
    target = bed(shelter, "4")

    response = patch(
        client_for("shelter_manager"),
        f"{V1}/shelters/{shelter.pk}/beds/{target.pk}",
        {"out_of_service": True, "wheelchair_accessible": True},
    )

    assert response.status_code == 200
    assert response.json()["state"] == "out_of_service"
    target.refresh_from_db()
    assert (target.out_of_service, target.wheelchair_accessible, target.isolation) == (
        True,
        True,
        False,
    )


def test_an_occupied_bed_cannot_go_out_of_service(client_for, personas, shelter, case_a):
    stay = stay_for(personas, case_a, shelter)

    response = patch(
        client_for("shelter_manager"),
        f"{V1}/shelters/{shelter.pk}/beds/{stay.bed_id}",
        {"out_of_service": True},
    )

    assert_error_format(response, 400)
    assert not Bed.objects.get(pk=stay.bed_id).out_of_service


@pytest.mark.parametrize(
    "persona", ["caseworker", "coordinator", "org_admin", "caseworker_other_center"]
)
def test_only_managers_change_a_bed(client_for, shelter, persona):
    target = bed(shelter)

    response = patch(
        client_for(persona), f"{V1}/shelters/{shelter.pk}/beds/{target.pk}", {"isolation": True}
    )

    assert_error_format(response, 404)
    target.refresh_from_db()
    assert not target.isolation


def test_a_bed_under_the_wrong_shelter_is_404(client_for, personas, shelter):
    second = shelter_with_beds(personas.center, beds=1, name="Второй дом")

    response = patch(
        client_for("shelter_manager"),
        f"{V1}/shelters/{second.pk}/beds/{bed(shelter).pk}",
        {"isolation": True},
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"kind": "sofa"}, {"isolation": "perhaps"}, [1, 2], "out", {"out_of_service": [1]}, {}],
)
def test_a_bad_bed_change_is_400(client_for, shelter, body):
    target = bed(shelter)

    response = patch(
        client_for("shelter_manager"), f"{V1}/shelters/{shelter.pk}/beds/{target.pk}", body
    )

    assert_error_format(response, 400)
    assert Bed.objects.get(pk=target.pk).updated_at == target.updated_at


# --- availability --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_board_counts_free_beds_and_hides_other_addresses(
    client_for, personas, shelter, other_shelter, case_a, persona
):
    hold_for(personas, case_a, shelter, "1")  # an adult bed
    services.bed_update(
        actor=personas.shelter_manager, bed=bed(shelter, "5"), wheelchair_accessible=True
    )

    response = client_for(persona).get(f"{V1}/availability")

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    row = rows[shelter.name]
    assert row["free"] == {"adult": 1, "child": 2, "cot": 2}
    assert (row["free_total"], row["in_service"], row["total"]) == (5, 6, 6)
    assert row["free_accessible"] == 1
    assert row["intake_phone"] == "+7 727 000 00 00"
    assert row["organisation"]["name"] == "Center A"
    assert row["beds_updated_at"] is not None
    text = response.content.decode()
    if persona == "caseworker_other_center":
        assert ADDRESS_A not in text
        assert rows[other_shelter.name]["address"] == ADDRESS_B
    else:
        assert row["address"] == ADDRESS_A
        assert ADDRESS_B not in text


def test_the_board_filters_by_region_kind_and_access(client_for, personas, shelter, other_shelter):
    client = client_for("caseworker")
    services.bed_update(
        actor=personas.shelter_manager, bed=bed(shelter, "3"), wheelchair_accessible=True
    )

    def names(**query):
        return [row["name"] for row in client.get(f"{V1}/availability", query).json()]

    assert names() == [shelter.name, other_shelter.name]  # by region name: Almaty, Astana
    assert names(region=str(region("astana").pk)) == [other_shelter.name]
    assert names(kind="cot") == [shelter.name]
    assert names(accessible="true") == [shelter.name]
    assert names(kind="adult", accessible="false") == [shelter.name, other_shelter.name]
    assert names(region=str(uuid.uuid4())) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"region": "almaty"}, "region"),
        ({"kind": "sofa"}, "kind"),
        ({"accessible": "maybe"}, "accessible"),
        ({"region": "x" * 3000}, "region"),
    ],
)
def test_bad_board_filters_are_400(client_for, shelter, query, field):
    response = client_for("caseworker").get(f"{V1}/availability", query)

    assert_error_format(response, 400)
    assert field in response.json()["errors"]


# --- turn-aways ----------------------------------------------------------------------------


def test_a_manager_records_a_turn_away_at_her_shelter(client_for, personas, shelter):
    response = post(
        client_for("shelter_manager"),
        f"{V1}/turn-aways",
        {"shelter": str(shelter.pk), "reason": "no_bed", "bed_kind": "adult", "people": 3},
    )

    assert response.status_code == 201
    assert response.json()["requesting_organisation"] is None
    assert TurnAway.objects.get().people == 3


def test_a_caseworker_records_a_turn_away_for_her_center(client_for, personas, shelter):
    response = post(
        client_for("caseworker_other_center"),
        f"{V1}/turn-aways",
        {"shelter": str(shelter.pk), "reason": "quarantine", "bed_kind": "cot"},
    )

    assert response.status_code == 201
    assert response.json()["requesting_organisation"]["name"] == "Center B"
    assert ADDRESS_A not in response.content.decode()
    assert TurnAway.objects.get().requesting_organisation == personas.other_center


@pytest.mark.parametrize("persona", ["coordinator", "org_admin"])
def test_coordinators_and_admins_do_not_record_turn_aways(client_for, shelter, persona):
    response = post(
        client_for(persona),
        f"{V1}/turn-aways",
        {"shelter": str(shelter.pk), "reason": "no_bed", "bed_kind": "adult"},
    )

    assert_error_format(response, 403)
    assert TurnAway.objects.count() == 0


def test_a_manager_records_turn_aways_only_for_her_shelters(client_for, shelter, other_shelter):
    response = post(
        client_for("shelter_manager"),
        f"{V1}/turn-aways",
        {"shelter": str(other_shelter.pk), "reason": "no_bed", "bed_kind": "adult"},
    )

    assert_error_format(response, 404)
    assert TurnAway.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"people": 50}, "people"),
        ({"people": "many"}, "people"),
        ({"reason": "full"}, "reason"),
        ({"bed_kind": ["adult"]}, "bed_kind"),
        ({"occurred_on": today(1)}, "occurred_on"),
        ({"occurred_on": "31.02.2026"}, "occurred_on"),
        ({"shelter": "abc"}, "shelter"),
    ],
)
def test_a_bad_turn_away_saves_nothing(client_for, shelter, changes, field):
    body = {"shelter": str(shelter.pk), "reason": "no_bed", "bed_kind": "adult", **changes}

    response = post(client_for("caseworker"), f"{V1}/turn-aways", body)

    assert_error_format(response, 400)
    assert field in response.json()["errors"]
    assert TurnAway.objects.count() == 0


def test_turn_aways_are_listed_by_date(client_for, personas, shelter, other_shelter):
    def record(on, target=shelter, actor=None):
        return services.turn_away_record(
            actor=actor or personas.shelter_manager,
            shelter=target,
            reason="no_bed",
            bed_kind="adult",
            occurred_on=timezone.localdate() - datetime.timedelta(days=on),
        )

    old, recent = record(20), record(2)
    elsewhere = record(1, other_shelter, personas.caseworker_other_center)
    client = client_for("coordinator")

    def listed(query):
        response = client.get(f"{V1}/turn-aways", query)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert listed({}) == [str(recent.pk), str(old.pk)]
    assert listed({"from": today(-5)}) == [str(recent.pk)]
    assert listed({"to": today(-5)}) == [str(old.pk)]
    assert str(elsewhere.pk) not in listed({})
    for bad in ({"from": "yesterday"}, {"to": "2026-02-31"}, {"from": today(), "to": today(-3)}):
        assert_error_format(client.get(f"{V1}/turn-aways", bad), 400)
