"""Case-file test data through the services, so every row is valid as production's;
and what the case API tests share: URLs, the persona groups, the endpoints by kind."""

import datetime
from typing import Any

from django.utils import timezone

from cases import services_intake
from cases.models import Case, Consent, Incident, Note, RiskAssessment
from crisis_ops.audit.models import AuditEvent
from crisis_ops.encryption.normalise import build_iin
from tests.factories import region

_serial = iter(range(1, 10**6))


def intake(actor, organisation, **overrides: Any) -> Case:
    n = next(_serial)
    survivor = {
        "full_name": f"Айгерим Сейтқали {n}",
        "iin": build_iin(
            datetime.date(1990, 1, 1) + datetime.timedelta(days=n), female=True, serial=n
        ),
        "phone": f"+7 701 {n % 1000:03d} {n // 1000 % 100:02d} {n % 97:02d}",
        "birth_date": datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
        "address": f"Алматы, ул. Абая {n}",
        "safe_contact": "Звонить только сестре",
        "age_band": "35-44",
        "sex": "female",
        "region": region("almaty-city"),
        "disability": "none",
    }
    survivor.update(overrides.pop("survivor", {}))
    incident = {
        "occurred_on": timezone.localdate() - datetime.timedelta(days=2),
        "violence_types": ["physical", "psychological"],
        "gbvims_class": "physical_assault",
        "relationship": "spouse",
        "children_present": True,
        "injuries": True,
        "reported_to_police": True,
        "narrative": "Он ударил её на кухне при детях.",
    }
    incident.update(overrides.pop("incident", {}))
    return services_intake.case_intake_complete(
        actor=actor,
        organisation=organisation,
        survivor=survivor,
        case={"source": "police_102", **overrides.pop("case", {})},
        incident=incident,
        perpetrator=overrides.pop(
            "perpetrator", {"full_name": "Ерлан Б.", "relationship": "spouse"}
        ),
        risk_answers=overrides.pop("risk_answers", {str(q): q <= 5 for q in range(1, 25)}),
        consents=overrides.pop("consents", ["services", "statistics"]),
        hotline_call_id=overrides.pop("hotline_call_id", None),
    )


# --- the case API ---------------------------------------------------------------------

CASES = "/api/v1/cases"
SEARCH = "/api/v1/cases/search"
CASE_ROLES = ["caseworker", "caseworker_same_center", "supervisor"]
# The other center's caseworker, and the roles that never see a case file.
OUTSIDERS = ["caseworker_other_center", "shelter_manager", "coordinator", "org_admin"]


def assert_refused(response, *fields):
    """A 400 in the API's error format, naming exactly these fields."""
    assert response.status_code == 400, response.json()
    assert set(response.json()) == {"detail", "errors"}
    assert set(response.json()["errors"]) == set(fields)


def days(n):
    """The day ``n`` days from today (negative: ago)."""
    return timezone.localdate() + datetime.timedelta(days=n)


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
