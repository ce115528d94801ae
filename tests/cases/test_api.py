"""The case API: who sees and changes what, the case list and the case itself.

The lists under a case (incidents, notes, consents, risk assessments) are in
test_api_case_file.py; every endpoint walks the persona ladder here.
"""

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.models import Case, Consent, Incident, Note, RiskAssessment
from crisis_ops.audit.models import AuditEvent
from crisis_ops.organisations.roles import Role
from tests.cases.factories import intake
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases"
CASE_ROLES = ["caseworker", "caseworker_same_center", "supervisor"]
# The other center's caseworker, and the roles that never see a case file.
OUTSIDERS = ["caseworker_other_center", "shelter_manager", "coordinator", "org_admin"]


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


def send(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def views_of(case, user=None):
    events = AuditEvent.objects.filter(action="case.viewed", object_id=str(case.id))
    if user is not None:
        events = events.filter(actor_id=user.id)
    return events.count()


# Every endpoint that shows a case's content.
READS = {
    "case": lambda case: f"{CASES}/{case.id}",
    "incidents": lambda case: f"{CASES}/{case.id}/incidents",
    "notes": lambda case: f"{CASES}/{case.id}/notes",
    "consents": lambda case: f"{CASES}/{case.id}/consents",
    "risk-assessments": lambda case: f"{CASES}/{case.id}/risk-assessments",
    "risk-assessment": lambda case: (
        f"{CASES}/{case.id}/risk-assessments/{case.risk_assessments.get().id}"
    ),
}

# Every endpoint that changes a case: (method, url, valid body, what it saves).
WRITES = {
    "status": (
        "patch",
        lambda case: f"{CASES}/{case.id}",
        lambda case: {"status": "active"},
        lambda: Case.objects.filter(status="active").count(),
    ),
    "incident": (
        "post",
        lambda case: f"{CASES}/{case.id}/incidents",
        lambda case: {
            "occurred_on": str(timezone.localdate()),
            "violence_types": ["economic"],
            "gbvims_class": "denial_of_resources",
            "relationship": "spouse",
        },
        lambda: Incident.objects.count(),
    ),
    "note": (
        "post",
        lambda case: f"{CASES}/{case.id}/notes",
        lambda case: {"text": "Called her sister, as agreed."},
        lambda: Note.objects.count(),
    ),
    "consent": (
        "post",
        lambda case: f"{CASES}/{case.id}/consents",
        lambda case: {"scope": "police"},
        lambda: Consent.objects.count(),
    ),
    "revoke": (
        "post",
        lambda case: f"{CASES}/{case.id}/consents/{case.consents.first().id}/revoke",
        lambda case: {},
        lambda: Consent.objects.filter(revoked_at__isnull=False).count(),
    ),
    "risk-assessment": (
        "post",
        lambda case: f"{CASES}/{case.id}/risk-assessments",
        lambda case: {"answers": {"1": True, "2": False}},
        lambda: RiskAssessment.objects.count(),
    ),
}


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


def test_case_list_queries_do_not_grow_with_cases(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for("caseworker")
    for _ in range(3):
        intake(personas.caseworker, personas.center)
    client.get(CASES)
    # Session, user, device, roles, the caller's centers and grants, count, page, and the
    # session save (3 with its savepoint).
    with django_assert_max_num_queries(11) as few:
        assert client.get(CASES).json()["count"] == 3
    for _ in range(12):
        intake(personas.caseworker, personas.center)
    with django_assert_max_num_queries(11) as many:
        assert client.get(CASES).json()["count"] == 15

    assert len(many) == len(few)


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

    body = client_for("caseworker").get(CASES, {"search": getattr(case.survivor, field)}).json()

    assert [row["id"] for row in body["results"]] == [str(case.id)]


def test_search_for_an_iin_with_a_wrong_check_digit_is_a_400(client_for, case):
    response = client_for("caseworker").get(CASES, {"search": "900101400011"})

    assert response.status_code == 400
    assert "check digit" in response.json()["errors"]["search"][0]


def test_unknown_filter_values_are_a_400(client_for, case):
    response = client_for("caseworker").get(
        CASES, {"status": "lost", "risk_band": "extreme", "assigned_to_me": "maybe"}
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "risk_band", "assigned_to_me"}


# --- one case ----------------------------------------------------------------------------


def test_case_detail_shows_the_survivors_identity(client_for, personas, case):
    survivor = case.survivor
    body = client_for("caseworker").get(f"{CASES}/{case.id}").json()

    assert body["survivor"] == {
        "code": survivor.code,
        "full_name": survivor.full_name,
        "age_band": "35-44",
        "sex": "female",
        "region": "almaty-city",
        "iin": survivor.iin,
        "birth_date": str(survivor.birth_date),
        "phone": survivor.phone,
        "address": survivor.address,
        "safe_contact": "Звонить только сестре",
        "disability": "none",
    }
    assert body["status"] == "open"
    assert body["closed_reason"] == ""
    assert body["closed_at"] is None
    assert body["risk_band"] == "standard"
    assert body["assigned_to"]["id"] == str(personas.caseworker.id)


def test_case_detail_shows_the_confidentiality_flags(client_for, personas):
    case = intake(
        personas.caseworker,
        personas.center,
        case={"never_disclose_location": True, "no_contact_by_phone": True},
    )

    body = client_for("caseworker").get(f"{CASES}/{case.id}").json()

    assert body["never_disclose_location"] is True
    assert body["no_contact_by_phone"] is True


def test_case_detail_queries_are_few(client_for, case, django_assert_max_num_queries):
    client = client_for("caseworker")
    client.get(CASES)
    # The list's first six, the case, the audit append (5 with its savepoint), her region
    # and the session save.
    with django_assert_max_num_queries(16):
        assert client.get(f"{CASES}/{case.id}").status_code == 200


def test_a_malformed_case_id_is_a_json_404(client_for, case):
    response = client_for("caseworker").get(f"{CASES}/not-a-uuid")

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_an_unknown_case_id_is_a_404(client_for, case):
    response = client_for("caseworker").get(
        f"{CASES}/00000000-0000-4000-8000-000000000000/incidents"
    )

    assert response.status_code == 404


def test_closing_a_case_needs_and_keeps_the_reason(client_for, case):
    response = send(
        client_for("caseworker"),
        "patch",
        f"{CASES}/{case.id}",
        {"status": "closed", "closed_reason": "referred"},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert response.json()["closed_reason"] == "referred"
    assert response.json()["closed_at"] is not None
    assert AuditEvent.objects.filter(action="case.closed", object_id=str(case.id)).exists()


def test_a_change_answers_with_the_case_and_is_audited_as_a_read(client_for, personas, case):
    response = send(client_for("caseworker"), "patch", f"{CASES}/{case.id}", {"status": "active"})

    assert response.json()["survivor"]["full_name"] == case.survivor.full_name
    assert views_of(case, personas.caseworker) == 1


def test_closing_without_a_reason_saves_nothing(client_for, case):
    response = send(client_for("caseworker"), "patch", f"{CASES}/{case.id}", {"status": "closed"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"closed_reason"}
    case.refresh_from_db()
    assert case.status == "open"


@pytest.mark.parametrize(
    ("start", "target"), [("open", "open"), ("active", "open"), ("closed", "open")]
)
def test_a_status_jump_the_workflow_does_not_allow_is_a_400(
    client_for, personas, case, start, target
):
    if start == "active":
        services.case_change_status(actor=personas.caseworker, case=case, status="active")
    if start == "closed":
        services.case_change_status(
            actor=personas.caseworker, case=case, status="closed", closed_reason="resolved"
        )

    response = send(client_for("caseworker"), "patch", f"{CASES}/{case.id}", {"status": target})

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert "status" in response.json()["errors"]
    case.refresh_from_db()
    assert case.status == start


def test_a_closed_case_reopens_as_active(client_for, personas, case):
    services.case_change_status(
        actor=personas.caseworker, case=case, status="closed", closed_reason="lost_contact"
    )

    response = send(client_for("supervisor"), "patch", f"{CASES}/{case.id}", {"status": "active"})

    assert response.status_code == 200
    assert response.json()["closed_reason"] == ""
    assert AuditEvent.objects.filter(action="case.reopened").exists()


def test_a_case_is_assigned_to_another_caseworker_of_the_center(client_for, personas, case):
    bob = personas.caseworker_same_center

    response = send(
        client_for("supervisor"), "patch", f"{CASES}/{case.id}", {"assigned_to": str(bob.id)}
    )

    assert response.status_code == 200
    assert response.json()["assigned_to"] == {"id": str(bob.id), "name": str(bob)}
    case.refresh_from_db()
    assert case.assigned_to == bob


@pytest.mark.parametrize(
    "assignee", ["caseworker_other_center", "shelter_manager", "unknown", "malformed"]
)
def test_only_a_caseworker_of_the_center_can_be_assigned(client_for, personas, case, assignee):
    value = {
        "unknown": "00000000-0000-4000-8000-000000000000",
        "malformed": "bob",
    }.get(assignee) or str(personas.user(assignee).id)

    response = send(client_for("supervisor"), "patch", f"{CASES}/{case.id}", {"assigned_to": value})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"assigned_to"}
    case.refresh_from_db()
    assert case.assigned_to == personas.caseworker


@pytest.mark.parametrize("persona", ["caseworker", "caseworker_same_center"])
def test_only_a_supervisor_reassigns_a_case(client_for, personas, case, persona):
    response = send(
        client_for(persona),
        "patch",
        f"{CASES}/{case.id}",
        {"status": "active", "assigned_to": str(personas.caseworker_same_center.id)},
    )

    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}
    case.refresh_from_db()
    assert (case.status, case.assigned_to) == ("open", personas.caseworker)


def test_strangers_and_unknown_ids_get_the_same_assignment_error(client_for, personas, case):
    client = client_for("supervisor")
    stranger = send(
        client,
        "patch",
        f"{CASES}/{case.id}",
        {"assigned_to": str(personas.caseworker_other_center.id)},
    )
    unknown = send(
        client,
        "patch",
        f"{CASES}/{case.id}",
        {"assigned_to": "00000000-0000-4000-8000-000000000000"},
    )

    assert stranger.json()["errors"] == unknown.json()["errors"]


def test_a_refused_assignee_leaves_the_status_unchanged_too(client_for, personas, case):
    response = send(
        client_for("supervisor"),
        "patch",
        f"{CASES}/{case.id}",
        {"status": "active", "assigned_to": str(personas.shelter_manager.id)},
    )

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "open"
    assert not AuditEvent.objects.filter(action="case.active").exists()


def test_a_deactivated_caseworker_cannot_be_assigned(client_for, personas, case):
    former = MembershipFactory(organisation=personas.center, role=Role.CASEWORKER).user
    former.is_active = False
    former.save()

    response = send(
        client_for("supervisor"), "patch", f"{CASES}/{case.id}", {"assigned_to": str(former.id)}
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [{}, {"closed_reason": "resolved"}, {"status": "archived"}, {"status": None}],
    ids=["empty", "reason-alone", "unknown-status", "null-status"],
)
def test_a_change_with_nothing_valid_to_do_is_a_400(client_for, case, body):
    response = send(client_for("caseworker"), "patch", f"{CASES}/{case.id}", body)

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    case.refresh_from_db()
    assert case.status == "open"


def test_a_case_cannot_be_replaced_or_deleted(client_for, case):
    client = client_for("caseworker")

    assert send(client, "put", f"{CASES}/{case.id}", {"status": "active"}).status_code == 405
    assert client.delete(f"{CASES}/{case.id}").status_code == 405
    assert Case.objects.filter(pk=case.pk).exists()


# --- the schema --------------------------------------------------------------------------


def test_schema_documents_the_case_api(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    schema = response.content.decode()
    for path in (
        "/api/v1/cases:",
        "/api/v1/cases/{case_id}:",
        "/api/v1/cases/{case_id}/incidents:",
        "/api/v1/cases/{case_id}/notes:",
        "/api/v1/cases/{case_id}/consents:",
        "/api/v1/cases/{case_id}/consents/{consent_id}/revoke:",
        "/api/v1/cases/{case_id}/risk-assessments:",
        "/api/v1/cases/{case_id}/risk-assessments/{assessment_id}:",
    ):
        assert path in schema


@pytest.mark.parametrize("write", [w for w in WRITES if w != "revoke"])  # revoke reads no body
@pytest.mark.parametrize(
    "raw", ["[1, 2]", '"text"', "null", "42", '{"status": {"nested": 1}}', "{bad json"]
)
def test_odd_bodies_are_a_400_never_a_500(client_for, case, write, raw):
    method, url, _body, saved = WRITES[write]
    before = saved()

    response = getattr(client_for("supervisor"), method)(
        url(case), raw, content_type="application/json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert saved() == before


def test_a_page_never_holds_more_than_200_cases(client_for, personas):
    from crisis_ops.core.api import Pagination

    response = client_for("caseworker").get("/api/v1/cases", {"limit": 100000})

    assert response.status_code == 200
    assert Pagination.max_limit == 200
    assert "limit=200" in (response.json()["next"] or "limit=200")
