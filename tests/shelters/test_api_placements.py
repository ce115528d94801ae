"""The placements API (shelters/api_placements.py) for holds: who places, confirms and
releases them, races lost as 409, bad input. Stays are in test_api_stays.py."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from crisis_ops.audit.models import AuditEvent
from shelters import services
from shelters.models import Occupancy
from tests.factories import post
from tests.shelters.factories import (
    ADDRESS_A,
    BAD_INPUT,
    TAKEN,
    V1,
    assert_error_format,
    bed,
    hold_for,
    minor_intake,
    today,
)

pytestmark = pytest.mark.django_db


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
    assert body["bed"] == {
        "id": str(target.pk),
        "label": "4",
        "room": "1",
        "name": "Room 1, bed 4",
    }
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
        actor=personas.shelter_manager, bed=bed(shelter, "4"), wheelchair_accessible=True
    )

    response = post(
        client_for(persona),
        f"{V1}/holds",
        {
            "case": str(case_a.pk),
            "shelter": str(shelter.pk),
            "kind": "adult",
            "wheelchair_accessible": True,
        },
    )

    assert response.status_code == 201
    assert response.json()["bed"]["label"] == "4"
    assert Occupancy.objects.get().bed == bed(shelter, "4")


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
    hold_for(personas, case_a, shelter, "1")
    hold_for(personas, case_a, shelter, "4")  # both adult beds

    response = post(
        client_for("caseworker_other_center"),
        f"{V1}/holds",
        {"case": str(case_b.pk), "shelter": str(shelter.pk), "kind": "adult"},
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
    from_a = hold_for(personas, case_a, shelter, "4")

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
    hold_for(personas, minor_intake(personas.caseworker, personas.center), shelter, "2")

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
