"""What the case API tests share: URLs, the persona groups, the endpoints by kind."""

import json

from django.utils import timezone

from cases.models import Case, Consent, Incident, Note, RiskAssessment
from crisis_ops.audit.models import AuditEvent

CASES = "/api/v1/cases"
CASE_ROLES = ["caseworker", "caseworker_same_center", "supervisor"]
# The other center's caseworker, and the roles that never see a case file.
OUTSIDERS = ["caseworker_other_center", "shelter_manager", "coordinator", "org_admin"]


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
