"""The placements API (shelters/api_placements.py) for stays: who admits, changes and
discharges, races lost as 409, bad input."""

import datetime
import uuid

import pytest
from django.utils import timezone

from shelters import services_placements as placements
from shelters.models import Occupancy
from tests.factories import patch, post
from tests.shelters.factories import (
    ADDRESS_A,
    CASE_STAFF,
    V1,
    assert_error_format,
    bed,
    hold_for,
    stay_for,
    today,
)

pytestmark = pytest.mark.django_db


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
