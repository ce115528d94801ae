"""The case API for one case: its detail, changes to it, the schema, odd input."""

import pytest

from cases import services
from cases.models import Case
from crisis_ops.audit.models import AuditEvent
from crisis_ops.organisations.roles import Role
from tests.cases.factories import (  # noqa: F401
    CASE_ROLES,
    CASES,
    OUTSIDERS,
    READS,
    WRITES,
    intake,
    views_of,
)
from tests.factories import MembershipFactory, send

pytestmark = pytest.mark.django_db


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
    assert body["closed_reason"] is None  # null, not "" (no member of the enum)
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
    # The list's first six, the case, the audit append (5 with its savepoint), her region,
    # the session save, and the file (perpetrators, children, incidents, latest assessment).
    with django_assert_max_num_queries(20):
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
    assert response.json()["closed_reason"] is None
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
    former = MembershipFactory.create(organisation=personas.center, role=Role.CASEWORKER).user
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

    too_many = client_for("caseworker").get("/api/v1/cases", {"limit": 100000})
    response = client_for("caseworker").get("/api/v1/cases", {"limit": 200})

    # Issue 10 finding 4: past the cap is a 400 that names the bound, not a silent clamp.
    assert too_many.status_code == 400
    assert list(too_many.json()["errors"]) == ["limit"]
    assert response.status_code == 200
    assert Pagination.max_limit == 200
