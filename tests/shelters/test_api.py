"""The shelters API: who sees and changes what, the address rule, races and bad input."""

import datetime
import json
import uuid

import pytest
import time_machine
from django.utils import timezone

from crisis_ops.audit.models import AuditEvent
from shelters import services
from shelters import services_placements as placements
from shelters.models import Bed, Occupancy, Room, Shelter, TurnAway
from tests.cases.factories import intake
from tests.factories import region
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
ADDRESS_A = "ул. Секретная 7, кв. 3"  # the factory's address, given to shelter A
ADDRESS_B = "пр. Тайный 12"
TAKEN = "This bed was just taken. Choose another one."
BAD_INPUT = "The request has errors; nothing was saved."
CENTER_A = [
    "caseworker",
    "caseworker_same_center",
    "supervisor",
    "shelter_manager",
    "coordinator",
    "org_admin",
]
SIGNED_IN = [*CENTER_A, "caseworker_other_center"]
CASE_STAFF = ["caseworker", "caseworker_same_center", "supervisor", "caseworker_other_center"]


@pytest.fixture
def shelter(personas):
    """Center A's shelter: beds 1-6, adult, child and cot in turn."""
    return shelter_with_beds(personas.center, beds=6, kinds=("adult", "child", "cot"))


@pytest.fixture
def other_shelter(personas):
    shelter = shelter_with_beds(personas.other_center, beds=2, name="Убежище «Тумар»")
    shelter.address = ADDRESS_B
    shelter.region = region("astana")
    shelter.save()
    return shelter


@pytest.fixture
def case_a(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def case_b(personas):
    return intake(personas.caseworker_other_center, personas.other_center)


def bed(shelter, label="1"):
    return shelter.beds.get(label=label)


def send(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def post(client, url, body):
    return send(client, "post", url, body)


def patch(client, url, body):
    return send(client, "patch", url, body)


def today(days=0):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def hold_for(personas, case, shelter, label="1"):
    """A hold placed by the case's own caseworker."""
    actor = (
        personas.caseworker
        if case.organisation_id == personas.center.pk
        else personas.caseworker_other_center
    )
    return placements.hold_place(actor=actor, bed=bed(shelter, label), case=case)


def stay_for(personas, case, shelter, label="1", **extra):
    stay, _ = placements.stay_admit(
        actor=personas.shelter_manager, bed=bed(shelter, label), case=case, **extra
    )
    return stay


def assert_error_format(response, status):
    assert response.status_code == status, response.content
    assert set(response.json()) == {"detail", "errors"}


# --- anonymous -----------------------------------------------------------------------------


def _all_calls(shelter_id, bed_id, some_id):
    return [
        ("get", f"{V1}/shelters"),
        ("post", f"{V1}/shelters"),
        ("get", f"{V1}/shelters/{shelter_id}"),
        ("patch", f"{V1}/shelters/{shelter_id}"),
        ("get", f"{V1}/shelters/{shelter_id}/beds"),
        ("post", f"{V1}/shelters/{shelter_id}/beds"),
        ("patch", f"{V1}/shelters/{shelter_id}/beds/{bed_id}"),
        ("get", f"{V1}/availability"),
        ("get", f"{V1}/holds"),
        ("post", f"{V1}/holds"),
        ("post", f"{V1}/holds/{some_id}/confirm"),
        ("post", f"{V1}/holds/{some_id}/release"),
        ("get", f"{V1}/stays"),
        ("post", f"{V1}/stays"),
        ("get", f"{V1}/stays/{some_id}"),
        ("patch", f"{V1}/stays/{some_id}"),
        ("post", f"{V1}/stays/{some_id}/discharge"),
        ("get", f"{V1}/turn-aways"),
        ("post", f"{V1}/turn-aways"),
    ]


def test_anonymous_gets_401_everywhere_and_nothing_changes(client_for, personas, shelter):
    client = client_for("anonymous")
    before = (Shelter.objects.count(), Bed.objects.count(), AuditEvent.objects.count())

    for method, url in _all_calls(shelter.pk, bed(shelter).pk, uuid.uuid4()):
        response = send(client, method, url, {})
        assert_error_format(response, 401)

    assert (Shelter.objects.count(), Bed.objects.count(), AuditEvent.objects.count()) == before


# --- shelters ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_member_lists_the_network_with_the_address_only_for_her_own(
    client_for, shelter, other_shelter, persona
):
    response = client_for(persona).get(f"{V1}/shelters")

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert set(rows) == {shelter.name, other_shelter.name}
    own_center = persona != "caseworker_other_center"
    assert rows[shelter.name]["address"] == (ADDRESS_A if own_center else None)
    assert rows[other_shelter.name]["address"] == (None if own_center else ADDRESS_B)
    assert rows[shelter.name]["region"]["code"] == "almaty-city"
    assert rows[shelter.name]["organisation"]["name"] == "Center A"
    assert rows[shelter.name]["intake_phone"] == "+7 727 000 00 00"


def test_a_closed_shelter_leaves_the_list_except_for_its_set_up_people(
    client_for, shelter, other_shelter
):
    other_shelter.is_active = False
    other_shelter.save()
    shelter.is_active = False
    shelter.save()

    def names(persona):
        return {r["name"] for r in client_for(persona).get(f"{V1}/shelters").json()["results"]}

    assert names("caseworker") == set()
    assert names("org_admin") == {shelter.name}
    assert client_for("caseworker").get(f"{V1}/shelters/{shelter.pk}").status_code == 404
    assert client_for("org_admin").get(f"{V1}/shelters/{shelter.pk}").status_code == 200


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_one_shelter_keeps_the_address_rule(client_for, shelter, persona):
    response = client_for(persona).get(f"{V1}/shelters/{shelter.pk}")

    assert response.status_code == 200
    own_center = persona != "caseworker_other_center"
    assert response.json()["address"] == (ADDRESS_A if own_center else None)
    assert (ADDRESS_A in response.content.decode()) is own_center


@pytest.mark.parametrize("shelter_id", [uuid.uuid4(), "not-a-uuid"])
def test_an_unknown_shelter_is_404(client_for, shelter_id):
    response = client_for("caseworker").get(f"{V1}/shelters/{shelter_id}")

    assert response.status_code == 404


def shelter_body(personas, **changes):
    return {
        "organisation": str(personas.center.pk),
        "name": "Дом мамы",
        "region": str(region("almaty-city").pk),
        "address": "ул. Новая 1",
        "intake_phone": "+7 727 111 22 33",
        **changes,
    }


@pytest.mark.parametrize("persona", ["org_admin", "shelter_manager"])
def test_set_up_people_add_a_shelter_to_their_organisation(client_for, personas, persona):
    response = post(client_for(persona), f"{V1}/shelters", shelter_body(personas))

    assert response.status_code == 201
    created = Shelter.objects.get()
    assert response.json()["id"] == str(created.pk)
    assert response.json()["address"] == "ул. Новая 1"
    assert created.organisation == personas.center
    assert AuditEvent.objects.filter(action="shelter.created").count() == 1


def test_the_organisation_may_be_left_out_when_there_is_one(client_for, personas):
    body = shelter_body(personas)
    del body["organisation"]

    assert post(client_for("org_admin"), f"{V1}/shelters", body).status_code == 201
    assert Shelter.objects.get().organisation == personas.center


@pytest.mark.parametrize(
    "persona", [p for p in SIGNED_IN if p not in ("org_admin", "shelter_manager")]
)
def test_other_roles_cannot_add_a_shelter(client_for, personas, persona):
    response = post(client_for(persona), f"{V1}/shelters", shelter_body(personas))

    assert_error_format(response, 403)
    assert Shelter.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organisation": "other"}, "organisation"),
        ({"organisation": str(uuid.uuid4())}, "organisation"),
        ({"intake_phone": "call me"}, "intake_phone"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 5000}, "name"),
        ({"region": "almaty"}, "region"),
        ({"region": str(uuid.uuid4())}, "region"),
        ({"address": ["a", "b"]}, "address"),
    ],
)
def test_a_bad_shelter_saves_nothing(client_for, personas, changes, field):
    if changes.get("organisation") == "other":
        changes = {"organisation": str(personas.other_center.pk)}

    response = post(client_for("org_admin"), f"{V1}/shelters", shelter_body(personas, **changes))

    assert_error_format(response, 400)
    assert field in response.json()["errors"]
    assert Shelter.objects.count() == 0


@pytest.mark.parametrize("persona", ["org_admin", "shelter_manager"])
def test_set_up_people_change_and_close_their_shelter(client_for, shelter, persona):
    response = patch(
        client_for(persona),
        f"{V1}/shelters/{shelter.pk}",
        {"name": "Новое имя", "is_active": False},
    )

    assert response.status_code == 200
    shelter.refresh_from_db()
    assert (shelter.name, shelter.is_active) == ("Новое имя", False)
    assert response.json()["is_active"] is False


def test_a_shelter_with_residents_cannot_close(client_for, personas, shelter, case_a):
    stay_for(personas, case_a, shelter)

    response = patch(client_for("org_admin"), f"{V1}/shelters/{shelter.pk}", {"is_active": False})

    assert_error_format(response, 400)
    assert "Discharge every resident" in response.json()["errors"]["non_field_errors"][0]
    shelter.refresh_from_db()
    assert shelter.is_active


@pytest.mark.parametrize(
    "persona", ["caseworker", "supervisor", "coordinator", "caseworker_other_center"]
)
def test_others_cannot_change_a_shelter(client_for, shelter, persona):
    response = patch(client_for(persona), f"{V1}/shelters/{shelter.pk}", {"name": "Взлом"})

    assert_error_format(response, 404)
    shelter.refresh_from_db()
    assert shelter.name != "Взлом"


# --- beds ----------------------------------------------------------------------------------


def test_an_org_admin_sees_the_beds_as_her_setup_page_lists_them(
    client_for, personas, shelter, case_a, case_b
):
    """Issue 10 finding 2: she sets the shelter up but does not run its grid (the grid
    page is a 404 to her), so no bed shows its state, survivor code, needs or center."""
    hold_for(personas, case_b, shelter, "1")
    stay_for(personas, case_a, shelter, "2", needs="Без глютена")

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
    stay_for(personas, case_a, shelter, "2", needs="Без глютена")
    services.bed_update(actor=personas.shelter_manager, bed=bed(shelter, "3"), out_of_service=True)

    response = client_for(persona).get(f"{V1}/shelters/{shelter.pk}/beds")

    assert response.status_code == 200
    beds = {row["label"]: row for row in response.json()}
    assert [beds[label]["state"] for label in "123456"] == [
        "held",
        "occupied",
        "out_of_service",
        "free",
        "free",
        "free",
    ]
    assert beds["1"]["occupancy"]["id"] == str(hold.pk)
    assert beds["1"]["occupancy"]["survivor_code"] == case_b.survivor.code
    assert beds["1"]["occupancy"]["placing_center"] == "Center B"
    assert beds["2"]["occupancy"]["kind"] == "stay"
    assert beds["2"]["occupancy"]["needs"] == "Без глютена"
    assert beds["4"]["occupancy"] is None
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


# --- holds ---------------------------------------------------------------------------------


def test_a_caseworker_of_another_center_holds_a_named_bed(client_for, personas, shelter, case_b):
    target = bed(shelter, "4")

    response = post(
        client_for("caseworker_other_center"),
        f"{V1}/holds",
        {"case": str(case_b.pk), "bed": str(target.pk), "needs": "Инсулин"},
    )

    assert response.status_code == 201
    hold = Occupancy.objects.get()
    body = response.json()
    assert body["id"] == str(hold.pk)
    assert body["bed"] == {"id": str(target.pk), "label": "4", "room": "1"}
    assert body["shelter"] == {"id": str(shelter.pk), "name": shelter.name}
    assert body["case"] == str(case_b.pk)
    assert body["survivor_code"] == case_b.survivor.code
    assert body["needs"] == "Инсулин"
    expires = datetime.datetime.fromisoformat(body["hold_expires_at"])
    assert expires.utcoffset() is not None
    assert (
        datetime.timedelta(minutes=89) < expires - timezone.now() <= datetime.timedelta(minutes=90)
    )
    assert ADDRESS_A not in response.content.decode()
    assert (hold.kind, hold.case, hold.placed_by) == (
        "hold",
        case_b,
        personas.caseworker_other_center,
    )


@pytest.mark.parametrize("persona", ["caseworker", "caseworker_same_center", "supervisor"])
def test_case_staff_hold_any_free_bed_of_a_kind(client_for, personas, shelter, case_a, persona):
    services.bed_update(
        actor=personas.shelter_manager, bed=bed(shelter, "6"), wheelchair_accessible=True
    )

    response = post(
        client_for(persona),
        f"{V1}/holds",
        {
            "case": str(case_a.pk),
            "shelter": str(shelter.pk),
            "kind": "cot",
            "wheelchair_accessible": True,
        },
    )

    assert response.status_code == 201
    assert response.json()["bed"]["label"] == "6"
    assert Occupancy.objects.get().bed == bed(shelter, "6")


def test_a_taken_bed_is_409_and_nothing_is_saved(client_for, personas, shelter, case_a, case_b):
    first = hold_for(personas, case_a, shelter, "1")

    response = post(
        client_for("caseworker_other_center"),
        f"{V1}/holds",
        {"case": str(case_b.pk), "bed": str(first.bed_id)},
    )

    assert response.status_code == 409
    assert response.json() == {"detail": TAKEN, "errors": {}}
    assert Occupancy.objects.get() == first
    assert AuditEvent.objects.filter(action="hold.placed").count() == 1


def test_no_free_bed_of_the_kind_left_is_409(client_for, personas, shelter, case_a, case_b):
    hold_for(personas, case_a, shelter, "3")
    hold_for(personas, case_a, shelter, "6")  # both cots

    response = post(
        client_for("caseworker_other_center"),
        f"{V1}/holds",
        {"case": str(case_b.pk), "shelter": str(shelter.pk), "kind": "cot"},
    )

    assert response.status_code == 409
    assert response.json() == {"detail": TAKEN, "errors": {}}
    assert Occupancy.objects.count() == 2


def test_an_out_of_service_bed_cannot_be_held(client_for, personas, shelter, case_a):
    target = bed(shelter)
    services.bed_update(actor=personas.shelter_manager, bed=target, out_of_service=True)

    response = post(
        client_for("caseworker"), f"{V1}/holds", {"case": str(case_a.pk), "bed": str(target.pk)}
    )

    assert_error_format(response, 400)
    assert "out of service" in response.json()["errors"]["non_field_errors"][0]
    assert Occupancy.objects.count() == 0


def test_a_case_the_caller_may_not_change_is_404(client_for, shelter, case_a):
    response = post(
        client_for("caseworker_other_center"),
        f"{V1}/holds",
        {"case": str(case_a.pk), "bed": str(bed(shelter).pk)},
    )

    assert_error_format(response, 404)
    assert Occupancy.objects.count() == 0


@pytest.mark.parametrize("persona", ["shelter_manager", "coordinator", "org_admin"])
def test_roles_without_cases_cannot_hold(client_for, shelter, case_a, persona):
    response = post(
        client_for(persona), f"{V1}/holds", {"case": str(case_a.pk), "bed": str(bed(shelter).pk)}
    )

    assert_error_format(response, 403)
    assert Occupancy.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "case"),
        ({"bed": "BED", "wheelchair_accessible": "maybe"}, "wheelchair_accessible"),
        ({"both": True}, "bed"),
        ({"neither": True}, "bed"),
        ({"shelter": "SHELTER"}, "kind"),
        ({"shelter": "SHELTER", "kind": "sofa"}, "kind"),
        ({"bed": "BED", "needs": "x" * 20000}, "needs"),
        ({"bed": "BED", "needs": ["a", "b"]}, "needs"),
        ({"bed": "not-a-uuid"}, "bed"),
        ({"bed": "BED", "case": ["x"]}, "case"),
    ],
)
def test_a_bad_hold_is_400_and_saves_nothing(client_for, shelter, case_a, body, field):
    ids = {"BED": str(bed(shelter).pk), "SHELTER": str(shelter.pk)}
    given = {"case": str(case_a.pk)} if body else {}
    for key, value in body.items():
        if key == "both":
            given |= {"bed": ids["BED"], "shelter": ids["SHELTER"], "kind": "adult"}
        elif key != "neither":
            given[key] = ids.get(value, value) if isinstance(value, str) else value

    response = post(client_for("caseworker"), f"{V1}/holds", given)

    assert_error_format(response, 400)
    assert response.json()["detail"] == BAD_INPUT
    assert field in response.json()["errors"]
    assert Occupancy.objects.count() == 0


@pytest.mark.parametrize("body", [[1, 2], "hold", None, 7])
def test_a_hold_body_that_is_not_an_object_is_400(client_for, body):
    assert_error_format(post(client_for("caseworker"), f"{V1}/holds", body), 400)


def test_holds_are_listed_for_the_case_staff_and_the_manager(
    client_for, personas, shelter, case_a, case_b
):
    from_b = hold_for(personas, case_b, shelter, "1")
    from_a = hold_for(personas, case_a, shelter, "2")

    def listed(persona):
        return {r["id"]: r for r in client_for(persona).get(f"{V1}/holds").json()["results"]}

    assert set(listed("caseworker_other_center")) == {str(from_b.pk)}
    assert set(listed("caseworker_same_center")) == {str(from_a.pk)}
    managed = listed("shelter_manager")
    assert set(managed) == {str(from_a.pk), str(from_b.pk)}
    # The manager sees the code, the center and the needs: no case of another center.
    assert managed[str(from_b.pk)]["case"] is None
    assert managed[str(from_b.pk)]["placing_center"] == "Center B"
    assert managed[str(from_b.pk)]["survivor_code"] == case_b.survivor.code
    text = client_for("shelter_manager").get(f"{V1}/holds").content.decode()
    for secret in (case_b.survivor.full_name, case_b.reference, case_a.reference):
        assert secret not in text


@pytest.mark.parametrize("persona", ["coordinator", "org_admin"])
def test_roles_without_beds_get_403_on_holds_and_stays(client_for, persona):
    assert_error_format(client_for(persona).get(f"{V1}/holds"), 403)
    assert_error_format(client_for(persona).get(f"{V1}/stays"), 403)


# --- confirm and release -------------------------------------------------------------------


def test_the_manager_confirms_a_hold_into_a_stay_with_a_child(
    client_for, personas, shelter, case_b
):
    hold = hold_for(personas, case_b, shelter, "1")
    child_bed = bed(shelter, "2")

    response = post(
        client_for("shelter_manager"),
        f"{V1}/holds/{hold.pk}/confirm",
        {"expected_end": today(30), "children_beds": [str(child_bed.pk)]},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["kind"], body["warnings"]) == (str(hold.pk), "stay", [])
    assert body["admitted_on"] == today()
    assert body["expected_end"] == today(30)
    assert body["case"] is None
    child = Occupancy.objects.get(bed=child_bed)
    assert (child.kind, child.accompanies_id, child.ended_at) == ("stay", hold.pk, None)


def test_a_stay_past_six_months_is_confirmed_with_a_warning(client_for, personas, shelter, case_b):
    hold = hold_for(personas, case_b, shelter)

    response = post(
        client_for("shelter_manager"), f"{V1}/holds/{hold.pk}/confirm", {"expected_end": today(200)}
    )

    assert response.status_code == 200
    assert "limited to 6 months" in response.json()["warnings"][0]


@pytest.mark.parametrize(
    "persona", ["caseworker", "caseworker_other_center", "coordinator", "org_admin"]
)
def test_only_the_manager_confirms(client_for, personas, shelter, case_b, persona):
    hold = hold_for(personas, case_b, shelter)

    response = post(client_for(persona), f"{V1}/holds/{hold.pk}/confirm", {})

    assert_error_format(response, 404)
    hold.refresh_from_db()
    assert hold.kind == "hold"


@pytest.mark.parametrize(
    "body",
    [
        {"expected_end": "31.02.2026"},
        {"children_beds": "all"},
        {"children_beds": ["nope"]},
        {"children_beds": "OTHER"},
        {"expected_end": "YESTERDAY"},
    ],
)
def test_a_bad_confirmation_leaves_the_hold(
    client_for, personas, shelter, other_shelter, case_b, body
):
    hold = hold_for(personas, case_b, shelter)
    if body.get("children_beds") == "OTHER":
        body = {"children_beds": [str(bed(other_shelter).pk)]}
    if body.get("expected_end") == "YESTERDAY":
        body = {"expected_end": today(-1)}

    response = post(client_for("shelter_manager"), f"{V1}/holds/{hold.pk}/confirm", body)

    assert_error_format(response, 400)
    hold.refresh_from_db()
    assert hold.kind == "hold"
    assert Occupancy.objects.count() == 1


def test_a_taken_childs_bed_is_409_and_the_hold_stays_a_hold(
    client_for, personas, shelter, case_a, case_b
):
    hold = hold_for(personas, case_b, shelter, "1")
    hold_for(personas, case_a, shelter, "2")

    response = post(
        client_for("shelter_manager"),
        f"{V1}/holds/{hold.pk}/confirm",
        {"children_beds": [str(bed(shelter, "2").pk)]},
    )

    assert response.status_code == 409
    assert response.json() == {"detail": TAKEN, "errors": {}}
    hold.refresh_from_db()
    assert hold.kind == "hold"


def test_an_expired_hold_cannot_be_confirmed(client_for, personas, shelter, case_b):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        hold = hold_for(personas, case_b, shelter)
    with time_machine.travel(start + datetime.timedelta(minutes=91), tick=False):
        response = post(client_for("shelter_manager"), f"{V1}/holds/{hold.pk}/confirm", {})

    assert_error_format(response, 400)
    assert "expired" in response.json()["errors"]["non_field_errors"][0]
    hold.refresh_from_db()
    assert hold.kind == "hold"


@pytest.mark.parametrize("persona", ["caseworker_other_center", "shelter_manager"])
def test_the_case_staff_or_the_manager_release_a_hold(
    client_for, personas, shelter, case_b, persona
):
    hold = hold_for(personas, case_b, shelter)

    response = post(client_for(persona), f"{V1}/holds/{hold.pk}/release", {})

    assert response.status_code == 200
    assert response.json()["end_reason"] == "released"
    hold.refresh_from_db()
    assert hold.end_reason == "released"
    assert post(client_for(persona), f"{V1}/holds/{hold.pk}/release", {}).status_code == 400


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "coordinator", "org_admin"])
def test_others_cannot_release(client_for, personas, shelter, case_b, persona):
    hold = hold_for(personas, case_b, shelter)

    assert_error_format(post(client_for(persona), f"{V1}/holds/{hold.pk}/release", {}), 404)
    hold.refresh_from_db()
    assert hold.ended_at is None


# --- stays ---------------------------------------------------------------------------------


def admit_body(target, case, **changes):
    return {
        "bed": str(target.pk),
        "survivor_code": case.survivor.code,
        "expected_end": today(14),
        "needs": "Коляска",
        **changes,
    }


def test_the_manager_admits_by_survivor_code(client_for, shelter, case_a):
    target = bed(shelter, "1")

    response = post(
        client_for("shelter_manager"),
        f"{V1}/stays",
        admit_body(
            target,
            case_a,
            survivor_code=case_a.survivor.code.lower(),
            children_beds=[str(bed(shelter, "2").pk)],
        ),
    )

    assert response.status_code == 201
    body = response.json()
    stay = Occupancy.objects.get(bed=target)
    assert (body["id"], body["warnings"], body["needs"]) == (str(stay.pk), [], "Коляска")
    assert (stay.kind, stay.case, stay.admitted_on) == ("stay", case_a, timezone.localdate())
    assert Occupancy.objects.get(bed=bed(shelter, "2")).accompanies == stay
    assert case_a.survivor.full_name not in response.content.decode()


def test_an_unknown_code_is_400_on_the_code(client_for, shelter, case_b):
    # A code of another center comes through a hold, not by typing it.
    response = post(client_for("shelter_manager"), f"{V1}/stays", admit_body(bed(shelter), case_b))

    assert_error_format(response, 400)
    assert list(response.json()["errors"]) == ["survivor_code"]
    assert Occupancy.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"admitted_on": today(1)}, "admitted_on"),
        ({"expected_end": today(-3)}, "expected_end"),
        ({"expected_end": "2026-13-01"}, "expected_end"),
        ({"survivor_code": "x" * 20000}, "survivor_code"),
        ({"needs": "x" * 20000}, "needs"),
        ({"children_beds": [str(uuid.uuid4())]}, "children_beds"),
        ({"children_beds": {"a": 1}}, "children_beds"),
    ],
)
def test_a_bad_admission_saves_nothing(client_for, shelter, case_a, changes, field):
    response = post(
        client_for("shelter_manager"), f"{V1}/stays", admit_body(bed(shelter), case_a, **changes)
    )

    assert_error_format(response, 400)
    assert field in response.json()["errors"]
    assert Occupancy.objects.count() == 0


def test_admitting_into_a_held_bed_is_409(client_for, personas, shelter, case_a, case_b):
    hold = hold_for(personas, case_b, shelter)

    response = post(client_for("shelter_manager"), f"{V1}/stays", admit_body(hold.bed, case_a))

    assert response.status_code == 409
    assert Occupancy.objects.get() == hold


@pytest.mark.parametrize("persona", [*CASE_STAFF, "coordinator", "org_admin"])
def test_only_managers_admit(client_for, shelter, case_a, persona):
    response = post(client_for(persona), f"{V1}/stays", admit_body(bed(shelter), case_a))

    assert_error_format(response, 403)
    assert Occupancy.objects.count() == 0


def test_a_manager_does_not_admit_into_another_organisations_bed(
    client_for, shelter, other_shelter, case_a
):
    response = post(
        client_for("shelter_manager"), f"{V1}/stays", admit_body(bed(other_shelter), case_a)
    )

    assert_error_format(response, 404)


def test_stays_are_listed_for_the_manager_and_the_case_staff(
    client_for, personas, shelter, case_a, case_b
):
    own = stay_for(personas, case_a, shelter, "1")
    hold = hold_for(personas, case_b, shelter, "2")
    theirs, _ = placements.hold_confirm(actor=personas.shelter_manager, hold=hold)
    ended = stay_for(personas, case_a, shelter, "3")
    placements.stay_discharge(actor=personas.shelter_manager, stay=ended, outcome="family")

    def listed(persona, query=""):
        response = client_for(persona).get(f"{V1}/stays{query}")
        assert response.status_code == 200
        return {r["id"] for r in response.json()["results"]}

    assert listed("shelter_manager") == {str(own.pk), str(theirs.pk)}
    assert listed("shelter_manager", "?current=false") == {
        str(own.pk),
        str(theirs.pk),
        str(ended.pk),
    }
    assert listed("caseworker") == {str(own.pk)}
    assert listed("caseworker_other_center") == {str(theirs.pk)}
    text = client_for("shelter_manager").get(f"{V1}/stays").content.decode()
    for secret in (case_b.survivor.full_name, case_b.reference, str(case_b.pk), ADDRESS_A):
        assert secret not in text
    assert_error_format(client_for("shelter_manager").get(f"{V1}/stays?current=maybe"), 400)


def test_the_manager_reads_and_changes_a_stay(client_for, personas, shelter, case_a):
    stay = stay_for(
        personas, case_a, shelter, expected_end=timezone.localdate() + datetime.timedelta(days=10)
    )
    url = f"{V1}/stays/{stay.pk}"
    client = client_for("shelter_manager")

    assert client.get(url).json()["expected_end"] == today(10)
    needs_only = patch(client, url, {"needs": "Диета"})
    longer = patch(client, url, {"expected_end": today(300)})

    assert needs_only.status_code == longer.status_code == 200
    assert needs_only.json()["expected_end"] == today(10)  # untouched when not given
    assert needs_only.json()["needs"] == "Диета"
    assert "limited to 6 months" in longer.json()["warnings"][0]
    stay.refresh_from_db()
    assert (stay.needs, stay.expected_end.isoformat()) == ("Диета", today(300))


@pytest.mark.parametrize(
    "body", [{"expected_end": "tomorrow"}, {"needs": ["a"]}, [1], "x", {}, {"admitted_on": today()}]
)
def test_a_bad_stay_change_is_400(client_for, personas, shelter, case_a, body):
    stay = stay_for(personas, case_a, shelter, needs="Как было")

    response = patch(client_for("shelter_manager"), f"{V1}/stays/{stay.pk}", body)

    assert_error_format(response, 400)
    stay.refresh_from_db()
    assert stay.needs == "Как было"


def test_the_manager_discharges_with_an_outcome(client_for, personas, shelter, case_a):
    stay = stay_for(personas, case_a, shelter)
    url = f"{V1}/stays/{stay.pk}/discharge"
    client = client_for("shelter_manager")

    assert_error_format(post(client, url, {"outcome": "vanished"}), 400)
    response = post(client, url, {"outcome": "safe_housing"})

    assert response.status_code == 200
    assert response.json()["outcome"] == "safe_housing"
    assert response.json()["ended_at"] is not None
    assert_error_format(post(client, url, {"outcome": "safe_housing"}), 400)  # already ended


@pytest.mark.parametrize(
    "persona", ["caseworker", "caseworker_other_center", "coordinator", "org_admin"]
)
def test_others_cannot_read_change_or_discharge_a_stay(
    client_for, personas, shelter, case_a, persona
):
    stay = stay_for(personas, case_a, shelter, needs="Как было")
    client = client_for(persona)

    assert_error_format(client.get(f"{V1}/stays/{stay.pk}"), 404)
    assert_error_format(patch(client, f"{V1}/stays/{stay.pk}", {"needs": "x"}), 404)
    response = post(client, f"{V1}/stays/{stay.pk}/discharge", {"outcome": "family"})
    assert_error_format(response, 404)
    stay.refresh_from_db()
    assert (stay.needs, stay.ended_at) == ("Как было", None)


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


# --- odd input everywhere ------------------------------------------------------------------

ODD_BODIES = [[1, 2], "text", {"x": "y" * 20000}, {"occurred_on": "31.02.2026", "bed": ["a"]}]


@pytest.mark.parametrize("persona", ["caseworker", "shelter_manager", "org_admin"])
def test_odd_bodies_are_4xx_and_save_nothing(
    client_for, personas, shelter, case_a, case_b, persona
):
    hold = hold_for(personas, case_b, shelter, "1")
    stay = stay_for(personas, case_a, shelter, "2")
    before = (Occupancy.objects.count(), Shelter.objects.count(), Bed.objects.count())
    client = client_for(persona)
    before_audit = AuditEvent.objects.count()
    client.raise_request_exception = False
    # Release takes no body, and every field of a confirmation is optional: only bad
    # values can be refused there.
    calls = [
        (m, url)
        for m, url in _all_calls(shelter.pk, bed(shelter, "3").pk, hold.pk)
        if m != "get" and not url.endswith("/release")
    ] + [
        ("patch", f"{V1}/stays/{stay.pk}"),
        ("post", f"{V1}/stays/{stay.pk}/discharge"),
    ]
    confirm_bodies = [
        [1, 2],
        "text",
        {"expected_end": "31.02.2026"},
        {"children_beds": "x" * 20000},
        {"children_beds": [str(bed(shelter, "3").pk)] * 50},
    ]

    for method, url in calls:
        for body in confirm_bodies if url.endswith("/confirm") else ODD_BODIES:
            response = send(client, method, url, body)
            assert 400 <= response.status_code < 500, (method, url, body, response.content)
        if method == "post" and not url.endswith("/confirm"):  # multipart, as a form sends it
            form = {"status": ["a", "b"], "occurred_on": "31.02.2026", "text": "x" * 20000}
            response = client.post(url, form)
            assert 400 <= response.status_code < 500, (method, url, response.content)

    hold.refresh_from_db()
    stay.refresh_from_db()
    assert (hold.kind, hold.ended_at, stay.ended_at) == ("hold", None, None)
    assert (Occupancy.objects.count(), Shelter.objects.count(), Bed.objects.count()) == before
    assert AuditEvent.objects.count() == before_audit


# --- a fixed number of queries -------------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(60) as counted:
        response = client.get(url)
    assert response.status_code == 200
    return len(counted.captured_queries), response.json()


def _count(body):
    return body["count"] if isinstance(body, dict) else len(body)


def _grow(personas, shelter, n):
    """n rows of everything: shelters, beds with holds and stays, turn-aways."""
    for i in range(n):
        shelter_with_beds(personas.other_center, beds=1, name=f"Приют {i}")
    room = Room.objects.create(shelter=shelter, name=f"R{n}")
    case_a = intake(personas.caseworker, personas.center)
    case_b = intake(personas.caseworker_other_center, personas.other_center)
    for i in range(n):
        held = Bed.objects.create(shelter=shelter, room=room, label=f"h{i}")
        placements.hold_place(actor=personas.caseworker_other_center, bed=held, case=case_b)
        stayed = Bed.objects.create(shelter=shelter, room=room, label=f"s{i}")
        placements.stay_admit(actor=personas.shelter_manager, bed=stayed, case=case_a)
        services.turn_away_record(
            actor=personas.shelter_manager, shelter=shelter, reason="no_bed", bed_kind="adult"
        )


@pytest.mark.parametrize(
    "path", ["shelters", "availability", "holds", "stays", "turn-aways", "SHELTER/beds"]
)
def test_lists_read_a_fixed_number_of_queries(
    client_for, personas, shelter, path, django_assert_max_num_queries
):
    client = client_for("shelter_manager")
    url = f"{V1}/" + path.replace("SHELTER", f"shelters/{shelter.pk}")
    _grow(personas, shelter, 3)
    few, small = _queries(client, url, django_assert_max_num_queries)

    _grow(personas, shelter, 12)
    many, large = _queries(client, url, django_assert_max_num_queries)

    assert _count(large) > _count(small)
    assert many <= few


def test_the_schema_describes_the_shelter_endpoints(client):
    schema = client.get("/api/schema/")

    assert schema.status_code == 200
    for path in ("/api/v1/holds", "/api/v1/availability", "/api/v1/shelters/{shelter_id}/beds"):
        assert path.encode() in schema.content
