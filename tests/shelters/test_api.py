"""The shelters API (shelters/api.py), shelters themselves: who sees and changes what, the
address rule, odd input, a fixed number of queries and the schema. Beds, availability and
turn-aways are in test_api_beds.py."""

import uuid

import pytest

from crisis_ops.audit.models import AuditEvent
from shelters import services
from shelters import services_placements as placements
from shelters.models import Bed, Occupancy, Room, Shelter
from tests.cases.factories import intake
from tests.factories import patch, post, region, send
from tests.queries import assert_queries_do_not_grow
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
)

pytestmark = pytest.mark.django_db


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


# --- odd input everywhere ------------------------------------------------------------------

ODD_BODIES = [[1, 2], "text", {"x": "y" * 20000}, {"occurred_on": "31.02.2026", "bed": ["a"]}]


@pytest.mark.parametrize("persona", ["caseworker", "shelter_manager", "org_admin"])
def test_odd_bodies_are_4xx_and_save_nothing(
    client_for, personas, shelter, case_a, case_b, persona
):
    hold = hold_for(personas, case_b, shelter, "1")
    stay = stay_for(personas, case_a, shelter, "4")
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
def test_lists_read_a_fixed_number_of_queries(client_for, personas, shelter, path):
    client = client_for("shelter_manager")
    url = f"{V1}/" + path.replace("SHELTER", f"shelters/{shelter.pk}")
    _grow(personas, shelter, 3)
    small = client.get(url).json()

    large = assert_queries_do_not_grow(
        lambda: client.get(url), lambda: _grow(personas, shelter, 12), at_most=60
    )

    assert large.status_code == 200
    assert _count(large.json()) > _count(small)


def test_the_schema_describes_the_shelter_endpoints(client):
    schema = client.get("/api/schema/")

    assert schema.status_code == 200
    for path in ("/api/v1/holds", "/api/v1/availability", "/api/v1/shelters/{shelter_id}/beds"):
        assert path.encode() in schema.content
