"""The reports API: the persona ladder, scope, bad input, and nothing identifying."""

import json

import pytest
import time_machine

from crisis_ops.audit.models import AuditEvent
from crisis_ops.reports.models import ReportRun

pytestmark = pytest.mark.django_db
API = "/api/v1/reports"
MAY_REPORT = ["coordinator", "supervisor", "supervisor_other_center"]
MAY_NOT = ["caseworker", "caseworker_other_center", "shelter_manager", "org_admin"]
MONTHLY = {"figure": "incidents", "start": "2026-02", "end": "2026-03", "breakdowns": ["month"]}


@pytest.fixture(autouse=True)
def _april_2026():
    with time_machine.travel("2026-04-15 10:00 +05:00", tick=False):
        yield


def post(client, body):
    return client.post(API, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("persona", MAY_REPORT + MAY_NOT + ["anonymous"])
def test_create_report_ladder(client_for, personas, persona):
    response = post(client_for(persona), MONTHLY)
    expected = 201 if persona in MAY_REPORT else {"anonymous": 401}.get(persona, 403)
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["status"] == "done"
        assert response.json()["result"]["figure_key"] == "incidents"


@pytest.mark.parametrize("persona", MAY_REPORT + MAY_NOT + ["anonymous"])
def test_read_run_ladder_only_whoever_asked(client_for, personas, persona):
    run = post(client_for("coordinator"), MONTHLY).json()
    response = client_for(persona).get(f"{API}/{run['id']}")
    expected = {"coordinator": 200, "anonymous": 401}.get(
        persona, 404 if persona in MAY_REPORT else 403
    )
    assert response.status_code == expected


def test_a_supervisor_reports_on_her_own_center_only(client_for, seeded):
    body = post(client_for("supervisor_other_center"), {**MONTHLY, "breakdowns": ["region"]})
    assert body.json()["result"]["rows"]["keys"] == ["astana"]
    refused = post(
        client_for("supervisor_other_center"),
        {**MONTHLY, "organisations": [str(seeded.center.pk)]},
    )
    assert refused.status_code == 400
    assert "organisations" in refused.json()["errors"]


def test_the_coordinator_sees_the_network_and_nothing_identifying(client_for, seeded):
    response = post(client_for("coordinator"), {**MONTHLY, "breakdowns": ["month", "region"]})
    result = response.json()["result"]
    assert result["columns"]["keys"] == ["almaty-city", "astana"]
    assert result["excluded_for_consent"] == 2
    text = response.content.decode()
    for case in seeded.center.cases.all():
        assert case.reference not in text
        assert case.survivor.code not in text
    assert "Айгерим" not in text and "2026-03-1" not in text
    assert AuditEvent.objects.filter(action="report.run").count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"start": "2026-03", "end": "2026-01"}, "end"),
        ({"end": "2026-08"}, "end"),
        ({"figure": "nope"}, "figure"),
        ({"breakdowns": ["month", "region", "sex"]}, "breakdowns"),
        ({"breakdowns": ["shoe_size"]}, "breakdowns"),
        ({"start": "March"}, "start"),
        ({"breakdowns": ["month", "turn_away_reason"]}, "breakdowns"),
        ({"breakdowns": ["region", "region"]}, "breakdowns"),
        ({"figure": "population", "breakdowns": ["region"]}, "figure"),  # a denominator only
        ({"filters": {"shoe_size": ["42"]}}, "filters"),
        ({"organisations": ["00000000-0000-0000-0000-000000000000"]}, "organisations"),
    ],
)
def test_bad_definitions_run_nothing(client_for, personas, change, field):
    response = post(client_for("coordinator"), {**MONTHLY, **change})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ReportRun.objects.exists()


def test_a_period_without_data_says_so(client_for, personas):
    result = post(client_for("coordinator"), MONTHLY).json()["result"]
    assert result["has_data"] is False
    assert result["paragraph"] == "No data was recorded for this period."


def test_a_supervisor_may_not_report_on_another_center(client_for, personas):
    body = {**MONTHLY, "organisations": [str(personas.other_center.pk)]}
    response = post(client_for("supervisor"), body)
    assert response.status_code == 400
    assert response.json()["errors"]["organisations"] == [
        "You may not report on these organisations."
    ]
    assert not ReportRun.objects.exists()
