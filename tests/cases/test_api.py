"""The case API: who sees and changes what, the case list and the case itself.

The lists under a case (incidents, notes, consents, risk assessments) are in
test_api_case_file.py; every endpoint walks the persona ladder here.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.models import Note
from crisis_ops.audit.models import AuditEvent
from tests.cases.factories import (
    CASE_ROLES,
    CASES,
    OUTSIDERS,
    READS,
    SEARCH,
    WRITES,
    intake,
    views_of,
)
from tests.factories import send
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


# --- the persona ladder, every endpoint --------------------------------------------------


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("persona", CASE_ROLES)
def test_case_roles_of_the_center_read_its_case_and_each_read_is_audited_once(
    client_for, personas, case, persona, read
):
    response = client_for(persona).get(READS[read](case))

    assert response.status_code == 200
    assert views_of(case) == 1
    assert views_of(case, personas.user(persona)) == 1


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_read_and_no_audit(client_for, case, persona, read):
    response = client_for(persona).get(READS[read](case))

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}
    assert views_of(case) == 0


@pytest.mark.parametrize("read", READS)
def test_anonymous_gets_401_on_every_read(client_for, case, read):
    response = client_for("anonymous").get(READS[read](case))

    assert response.status_code == 401
    assert views_of(case) == 0


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("persona", CASE_ROLES)
def test_case_roles_of_the_center_change_its_case(client_for, case, persona, write):
    method, url, body, saved = WRITES[write]
    before = saved()

    response = send(client_for(persona), method, url(case), body(case))

    assert response.status_code in (200, 201), response.json()
    assert saved() == before + 1


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("persona", [*OUTSIDERS, "anonymous"])
def test_outsiders_change_nothing(client_for, case, persona, write):
    method, url, body, saved = WRITES[write]
    before = saved()

    response = send(client_for(persona), method, url(case), body(case))

    assert response.status_code == (401 if persona == "anonymous" else 404)
    assert saved() == before


def test_case_list_refuses_anonymous_with_401(client_for, case):
    response = client_for("anonymous").get(CASES)

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("persona", CASE_ROLES)
def test_case_roles_list_their_centers_cases(client_for, case, persona):
    body = client_for(persona).get(CASES).json()

    assert body["count"] == 1
    assert body["results"][0]["id"] == str(case.id)


def test_a_cold_key_cache_costs_the_api_list_one_key_store_query(
    client_for, personas, django_assert_max_num_queries
):
    from django.db import connections

    from crisis_ops.encryption.cache import reset_key_cache

    client = client_for("caseworker")
    for _ in range(6):
        intake(personas.caseworker, personas.center)
    reset_key_cache()
    with django_assert_max_num_queries(1, connection=connections["keystore"]):
        body = client.get(CASES).json()
    assert body["count"] == 6


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_an_empty_case_list(client_for, case, persona):
    response = client_for(persona).get(CASES)

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_other_centers_caseworker_sees_only_her_own_centers_cases(client_for, personas, case):
    own = intake(personas.caseworker_other_center, personas.other_center)

    body = client_for("caseworker_other_center").get(CASES).json()

    assert [row["id"] for row in body["results"]] == [str(own.id)]


# --- restricted cases --------------------------------------------------------------------


@pytest.fixture
def restricted(personas, case):
    return services.case_restrict(actor=personas.caseworker, case=case, users=[personas.supervisor])


@pytest.mark.parametrize("persona", ["caseworker", "supervisor"])
def test_a_restricted_case_is_seen_by_the_named_users_and_the_actor(
    client_for, restricted, persona
):
    client = client_for(persona)

    assert client.get(f"{CASES}/{restricted.id}").status_code == 200
    assert [row["id"] for row in client.get(CASES).json()["results"]] == [str(restricted.id)]
    assert client.get(f"{CASES}/{restricted.id}/notes").status_code == 200


def test_a_restricted_case_is_hidden_from_the_rest_of_the_center(client_for, restricted):
    client = client_for("caseworker_same_center")

    assert client.get(f"{CASES}/{restricted.id}").status_code == 404
    assert client.get(f"{CASES}/{restricted.id}/incidents").status_code == 404
    assert client.get(CASES).json()["count"] == 0
    response = send(client, "post", f"{CASES}/{restricted.id}/notes", {"text": "Hello"})
    assert response.status_code == 404
    assert not Note.objects.exists()


# --- the case list -----------------------------------------------------------------------


def test_case_list_item_has_the_summary_but_no_identity(client_for, personas, case):
    row = client_for("caseworker").get(CASES).json()["results"][0]

    assert row == {
        "id": str(case.id),
        "reference": case.reference,
        "status": "open",
        "risk_band": "standard",
        "opened_on": str(case.opened_on),
        "source": "police_102",
        "organisation_id": str(personas.center.id),
        "assigned_to": {"id": str(personas.caseworker.id), "name": str(personas.caseworker)},
        "survivor": {
            "code": case.survivor.code,
            "full_name": case.survivor.full_name,
            "age_band": "35-44",
            "sex": "female",
            "region": "almaty-city",
        },
        "never_disclose_location": False,
        "no_contact_by_phone": False,
        "is_restricted": False,
    }


def test_case_list_writes_no_read_audit(client_for, case):
    client_for("caseworker").get(CASES)

    assert not AuditEvent.objects.filter(action="case.viewed").exists()


def test_case_list_queries_do_not_grow_with_cases(client_for, personas):
    client = client_for("caseworker")
    for _ in range(3):
        intake(personas.caseworker, personas.center)
    assert client.get(CASES).json()["count"] == 3

    def twelve_more():
        for _ in range(12):
            intake(personas.caseworker, personas.center)

    # Session, user, device, roles, the caller's centers and grants, count, page.
    page = assert_queries_do_not_grow(lambda: client.get(CASES), twelve_more, at_most=11)

    assert page.json()["count"] == 15


def test_case_list_pages_with_limit_and_offset(client_for, personas):
    cases = [intake(personas.caseworker, personas.center) for _ in range(3)]

    body = client_for("caseworker").get(CASES, {"limit": 2, "offset": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 1
    assert body["previous"] is not None
    assert body["results"][0]["id"] in {str(c.id) for c in cases}


def test_case_list_filters_by_status_and_risk_band(client_for, personas, case):
    active = intake(personas.caseworker, personas.center)
    services.case_change_status(actor=personas.caseworker, case=active, status="active")
    high = intake(personas.caseworker, personas.center, risk_answers={"1": True})
    services.risk_assessment_record(
        actor=personas.caseworker,
        case=high,
        answers={"1": True},
        override_band="high",
        override_reason="He bought a gun last week.",
    )
    client = client_for("caseworker")

    by_status = client.get(CASES, {"status": "active"}).json()["results"]
    by_band = client.get(CASES, {"risk_band": "high"}).json()["results"]

    assert [row["id"] for row in by_status] == [str(active.id)]
    assert [row["id"] for row in by_band] == [str(high.id)]


def test_case_list_filters_cases_assigned_to_me(client_for, personas, case):
    bobs = intake(personas.caseworker_same_center, personas.center)

    mine = client_for("caseworker_same_center").get(CASES, {"assigned_to_me": "true"}).json()
    everyone = client_for("caseworker_same_center").get(CASES, {"assigned_to_me": "false"}).json()

    assert [row["id"] for row in mine["results"]] == [str(bobs.id)]
    assert everyone["count"] == 2


def test_case_list_filters_cases_with_an_overdue_consent(client_for, personas, case):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    with time_machine.travel(ten_days_ago, tick=False):
        overdue = intake(personas.caseworker, personas.center)
        services.consent_grant(
            actor=personas.caseworker,
            case=overdue,
            scope="police",
            granted_on=timezone.localdate(),
            expires_on=timezone.localdate() + datetime.timedelta(days=3),
        )

    body = client_for("caseworker").get(CASES, {"has_overdue": "true"}).json()

    assert [row["id"] for row in body["results"]] == [str(overdue.id)]


@pytest.mark.parametrize("field", ["iin", "phone", "full_name"])
def test_case_list_finds_a_survivor_by_iin_phone_or_name(client_for, personas, case, field):
    intake(personas.caseworker, personas.center, survivor={"full_name": "Гульмира Ахметова"})

    body = (
        client_for("caseworker")
        .post(SEARCH, {"search": getattr(case.survivor, field)}, content_type="application/json")
        .json()
    )

    assert [row["id"] for row in body["results"]] == [str(case.id)]


def test_search_for_an_iin_with_a_wrong_check_digit_is_a_400(client_for, case):
    response = client_for("caseworker").post(
        SEARCH, {"search": "900101400011"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "check digit" in response.json()["errors"]["search"][0]


def test_the_search_takes_the_list_filters_and_pages(client_for, personas, case):
    other = intake(personas.caseworker, personas.center, survivor={"full_name": "Айгерим Бекова"})
    client = client_for("caseworker")
    word = case.survivor.full_name.split()[0]  # both are called Айгерим

    both = client.post(f"{SEARCH}?limit=1", {"search": word}, content_type="application/json")
    risky = client.post(
        SEARCH, {"search": word, "risk_band": "high"}, content_type="application/json"
    )

    assert both.status_code == 200 and both.json()["count"] == 2
    assert len(both.json()["results"]) == 1 and "offset=1" in both.json()["next"]
    assert other.reference not in str(risky.json()["results"])


def test_a_search_in_the_query_string_is_refused(client_for, case):
    response = client_for("caseworker").get(CASES, {"search": case.survivor.iin})

    assert response.status_code == 400
    assert "never sent in the address" in response.json()["errors"]["search"][0]
    assert case.survivor.iin not in response.content.decode()


def test_unknown_filter_values_are_a_400(client_for, case):
    response = client_for("caseworker").get(
        CASES, {"status": "lost", "risk_band": "extreme", "assigned_to_me": "maybe"}
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "risk_band", "assigned_to_me"}
