"""The lists under a case: consents and risk assessments, what they do and refuse.

Who may call them is walked in test_api.py."""

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, Consent, RiskAssessment
from crisis_ops.audit.models import AuditEvent
from crisis_ops.notifications.models import Notification
from tests.cases.factories import CASES, assert_refused, days, intake
from tests.factories import post

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def client(client_for):
    return client_for("caseworker")


# --- consents ----------------------------------------------------------------------------


def test_a_consent_is_recorded_as_current(client, personas, case):
    response = post(
        client,
        f"{CASES}/{case.id}/consents",
        {"scope": "referral_medical", "expires_on": str(days(90))},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["scope"] == "referral_medical"
    assert body["granted_on"] == str(TODAY())
    assert body["expires_on"] == str(days(90))
    assert body["is_current"] is True
    assert body["revoked_at"] is None
    assert body["recorded_by"]["id"] == str(personas.caseworker.id)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"scope": "police", "granted_on": str(days(-30)), "expires_on": str(days(-1))},
            "expires_on",
        ),
        ({"scope": "police", "granted_on": str(days(2))}, "granted_on"),
        ({"scope": "newspapers"}, "scope"),
        ({"scope": "police", "expires_on": "soon"}, "expires_on"),
    ],
    ids=["expired-as-current", "given-in-the-future", "unknown-scope", "not-a-date"],
)
def test_a_bad_consent_is_refused_and_nothing_saved(client, case, body, field):
    before = Consent.objects.count()

    assert_refused(post(client, f"{CASES}/{case.id}/consents", body), field)
    assert Consent.objects.count() == before


def test_consents_list_shows_revoked_ones_as_not_current(client, personas, case):
    services.consent_revoke(actor=personas.caseworker, consent=case.consents.get(scope="services"))

    rows = client.get(f"{CASES}/{case.id}/consents").json()["results"]

    current = {row["scope"]: row["is_current"] for row in rows}
    assert current == {"services": False, "statistics": True}


def test_a_consent_is_revoked_once(client, personas, case):
    consent = case.consents.get(scope="statistics")
    url = f"{CASES}/{case.id}/consents/{consent.id}/revoke"

    first = post(client, url, {})
    second = post(client, url, {})

    assert first.status_code == second.status_code == 200
    assert first.json()["is_current"] is False
    assert first.json()["revoked_at"] == second.json()["revoked_at"] is not None
    assert AuditEvent.objects.filter(action="consent.revoked").count() == 1


def test_a_consent_of_another_case_cannot_be_revoked_through_this_one(client, personas, case):
    other = intake(personas.caseworker, personas.center)
    consent = other.consents.first()

    response = post(client, f"{CASES}/{case.id}/consents/{consent.id}/revoke", {})

    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_a_malformed_consent_id_is_a_404(client, case):
    response = post(client, f"{CASES}/{case.id}/consents/12345/revoke", {})

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


# --- risk assessments --------------------------------------------------------------------


def answers(yes):
    return {str(n): n <= yes for n in range(1, 25)}


def test_a_risk_assessment_scores_the_answers_and_sets_the_case_band(client, case):
    response = post(client, f"{CASES}/{case.id}/risk-assessments", {"answers": answers(11)})

    assert response.status_code == 201
    body = response.json()
    assert (body["score"], body["band"], body["final_band"]) == (11, "medium", "medium")
    assert body["override_band"] == ""
    assert body["answers"] == answers(11)
    assert body["instrument"]["code"] == "dash-24"
    case.refresh_from_db()
    assert case.risk_band == "medium"


def test_a_high_risk_assessment_tells_the_supervisor(client, personas, case):
    response = post(client, f"{CASES}/{case.id}/risk-assessments", {"answers": answers(14)})

    assert response.json()["final_band"] == "high"
    assert Notification.objects.filter(recipient=personas.supervisor).exists()


def test_an_override_with_a_reason_sets_the_final_band(client, case):
    response = post(
        client,
        f"{CASES}/{case.id}/risk-assessments",
        {
            "answers": answers(2),
            "override_band": "high",
            "override_reason": "He threatened her with a knife yesterday.",
        },
    )

    body = response.json()
    assert (body["band"], body["override_band"], body["final_band"]) == ("standard", "high", "high")
    assert body["override_reason"] == "He threatened her with a knife yesterday."
    case.refresh_from_db()
    assert case.risk_band == "high"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": answers(2), "override_band": "high"}, "override_reason"),
        (
            {"answers": answers(2), "override_band": "high", "override_reason": "  "},
            "override_reason",
        ),
        (
            {"answers": answers(2), "override_band": "extreme", "override_reason": "x"},
            "override_band",
        ),
        ({"answers": {"1": True, "99": True}}, "answers"),
        ({"answers": {"1": "often"}}, "answers"),
        ({"answers": {}}, "answers"),
        ({"answers": [True, False]}, "answers"),
        ({}, "answers"),
    ],
    ids=[
        "override-without-reason",
        "override-with-blank-reason",
        "unknown-band",
        "unknown-question",
        "not-a-boolean",
        "no-answers",
        "answers-not-an-object",
        "missing-answers",
    ],
)
def test_a_bad_risk_assessment_is_refused_and_nothing_saved(client, case, body, field):
    response = post(client, f"{CASES}/{case.id}/risk-assessments", body)

    assert_refused(response, field)
    assert all(isinstance(message, str) for message in response.json()["errors"][field])
    assert RiskAssessment.objects.count() == 1
    assert Case.objects.get(pk=case.pk).risk_band == "standard"


def test_risk_assessments_are_listed_without_their_answers(client, personas, case):
    services.risk_assessment_record(actor=personas.supervisor, case=case, answers=answers(10))

    rows = client.get(f"{CASES}/{case.id}/risk-assessments").json()["results"]

    assert [row["final_band"] for row in rows] == ["medium", "standard"]
    assert set(rows[0]) == {
        "id",
        "score",
        "band",
        "override_band",
        "final_band",
        "instrument",
        "assessed_by",
        "created_at",
    }
    assert rows[0]["assessed_by"]["id"] == str(personas.supervisor.id)


def test_one_risk_assessment_shows_its_answers(client, case):
    assessment = case.risk_assessments.get()

    body = client.get(f"{CASES}/{case.id}/risk-assessments/{assessment.id}").json()

    assert body["answers"] == answers(5)
    assert body["score"] == 5


def test_a_risk_assessment_of_another_case_is_not_shown_through_this_one(client, personas, case):
    other = intake(personas.caseworker, personas.center)

    response = client.get(f"{CASES}/{case.id}/risk-assessments/{other.risk_assessments.get().id}")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="case.viewed").exists()
