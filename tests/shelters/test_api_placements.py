"""The placements API (shelters/api_placements.py): holds and stays, who places and
confirms, races lost as 409, bad input."""

import datetime
import uuid

import pytest
import time_machine
from django.utils import timezone

from crisis_ops.audit.models import AuditEvent
from shelters import services
from shelters import services_placements as placements
from shelters.models import Occupancy
from tests.shelters.factories import (
    ADDRESS_A,
    BAD_INPUT,
    CASE_STAFF,
    TAKEN,
    V1,
    assert_error_format,
    bed,
    hold_for,
    minor_intake,
    patch,
    post,
    stay_for,
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
    ended = stay_for(personas, case_a, shelter, "4")
    placements.stay_discharge(actor=personas.shelter_manager, stay=ended, outcome="family")
    hold = hold_for(personas, case_b, shelter, "4")
    theirs, _ = placements.hold_confirm(actor=personas.shelter_manager, hold=hold)

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
