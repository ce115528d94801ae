"""The retention API: the persona ladder, the policy, holds with why, erasure by two people."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Case, Survivor
from crisis_ops.retention import services
from crisis_ops.retention.models import ErasureRequest, RetentionPolicy
from tests.cases.factories import intake
from tests.factories import send
from tests.personas import PERSONAS
from tests.retention.factories import closed_case

pytestmark = pytest.mark.django_db


def status_for(persona, allowed, others=403):
    if persona == "anonymous":
        return (401, 403)
    return (allowed.get(persona, others),)


@pytest.mark.parametrize("persona", PERSONAS)
def test_policy_get_walks_the_ladder(client_for, personas, persona):
    response = client_for(persona).get(f"/api/v1/retention/policies/{personas.center.pk}")

    assert response.status_code in status_for(persona, {"org_admin": 200})
    if response.status_code == 200:
        body = response.json()
        assert body["years"] == 5 and body["rules"] == {}
        assert {"with_protection_order", "with_children", "with_shelter_stay"} <= {
            k["key"] for k in body["kinds"]
        }


@pytest.mark.parametrize("persona", PERSONAS)
def test_policy_put_walks_the_ladder(client_for, personas, persona):
    response = send(
        client_for(persona),
        "put",
        f"/api/v1/retention/policies/{personas.center.pk}",
        {"years": 6, "rules": {"with_children": 18}},
    )

    assert response.status_code in status_for(persona, {"org_admin": 200})
    saved = RetentionPolicy.objects.filter(organisation=personas.center).first()
    if persona == "org_admin":
        assert response.json()["rules"] == {"with_children": 18}
        assert saved.years == 6
    else:
        assert saved is None


def test_the_other_centers_policy_is_404_for_an_org_admin(client_for, personas):
    response = client_for("org_admin").get(f"/api/v1/retention/policies/{personas.other_center.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"years": 0},
        {"years": "x"},
        {"years": 5, "rules": {"nope": 3}},
        {"years": 5, "rules": []},
    ],
)
def test_a_bad_policy_is_a_400_that_names_the_field(client_for, personas, body):
    response = send(
        client_for("org_admin"), "put", f"/api/v1/retention/policies/{personas.center.pk}", body
    )

    assert response.status_code == 400
    assert response.json()["errors"]
    assert not RetentionPolicy.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_held_cases_with_why_walk_the_ladder(client_for, personas, persona):
    case = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    Case.objects.filter(pk=case.pk).update(court_case_pending=True)

    response = client_for(persona).get("/api/v1/retention/held")

    assert response.status_code in status_for(persona, {"org_admin": 200})
    if response.status_code == 200:
        assert response.json() == [
            {
                "organisation_id": str(personas.center.pk),
                "case_reference": case.reference,
                "reasons": ["A court case is pending."],
            }
        ]


def test_a_hold_set_and_released_over_the_api(client_for, personas):
    case = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    client = client_for("org_admin")

    created = send(
        client,
        "post",
        "/api/v1/retention/holds",
        {
            "organisation_id": str(personas.center.pk),
            "case_reference": case.reference,
            "reason": "Суд 2-145/2026",
        },
    )
    assert created.status_code == 201 and created.json()["reason"] == "Суд 2-145/2026"
    held = client.get("/api/v1/retention/held").json()
    assert held[0]["reasons"] == ["Суд 2-145/2026"]

    released = send(client, "post", f"/api/v1/retention/holds/{created.json()['id']}/release")
    assert released.status_code == 200
    assert client.get("/api/v1/retention/holds").json() == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_erasure_requests_walk_the_ladder(client_for, personas, persona):
    case = intake(personas.caseworker, personas.center)
    services.erasure_request(actor=personas.supervisor, case_reference=case.reference)

    response = client_for(persona).get("/api/v1/retention/erasure-requests")

    allowed = {"supervisor": 200, "org_admin": 200, "supervisor_other_center": 200}
    assert response.status_code in status_for(persona, allowed)
    if response.status_code == 200:
        seen = [r["case_reference"] for r in response.json()]
        assert seen == ([] if persona == "supervisor_other_center" else [case.reference])


def test_erasure_over_the_api_takes_two_people(client_for, personas, destroyed_keys):
    case = intake(personas.caseworker, personas.center)

    asked = send(
        client_for("supervisor"),
        "post",
        "/api/v1/retention/erasure-requests",
        {"case_reference": case.reference},
    )
    assert asked.status_code == 201
    url = f"/api/v1/retention/erasure-requests/{asked.json()['id']}/confirm"

    alone = send(client_for("supervisor"), "post", url)
    assert alone.status_code == 400 and Survivor.objects.filter(pk=case.survivor_id).exists()

    confirmed = send(client_for("org_admin"), "post", url)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "done"
    assert not Survivor.objects.filter(pk=case.survivor_id).exists()
    assert ErasureRequest.objects.get().case_reference == ""


@pytest.mark.parametrize("persona", ["caseworker", "coordinator", "org_admin"])
def test_only_a_supervisor_asks_over_the_api(client_for, personas, persona):
    case = intake(personas.caseworker, personas.center)
    response = send(
        client_for(persona),
        "post",
        "/api/v1/retention/erasure-requests",
        {"case_reference": case.reference},
    )
    assert response.status_code in (400, 403)
    assert not ErasureRequest.objects.exists()
