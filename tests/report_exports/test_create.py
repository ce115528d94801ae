"""Asking for a file of a report run: page button and API, for whoever ran the report only."""

import pytest
from django.utils import timezone

from crisis_ops.audit.models import AuditEvent
from crisis_ops.report_exports.models import ReportExport
from crisis_ops.reports.result import PublishedReport
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(personas):
    from crisis_ops.reports.services import report_run_create

    month = timezone.localdate().replace(day=1).strftime("%Y-%m")
    return report_run_create(
        user=personas.coordinator,
        data={"figure": "incidents", "start": month, "end": month, "breakdowns": ["month"]},
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_whoever_ran_the_report_may_ask_for_its_file(
    persona, personas, client_for, run, django_capture_on_commit_callbacks
):
    client = client_for(persona)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/reports/{run.pk}/exports", {"format": "pdf"}, content_type="application/json"
        )

    if persona == "coordinator":
        assert response.status_code == 202
        export = ReportExport.objects.get(pk=response.json()["id"])
        assert export.status == "ready"
        assert PublishedReport.from_dict(export.report) == PublishedReport.from_dict(run.result)
        assert AuditEvent.objects.filter(action="report.export_requested").count() == 1
    else:
        assert response.status_code in ((401, 403) if persona == "anonymous" else (404, 403))
        assert not ReportExport.objects.exists()


def test_the_page_button_queues_the_file_and_shows_its_progress(
    personas, client_for, run, django_capture_on_commit_callbacks
):
    client = client_for("coordinator")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/exports/new/{run.pk}", {"format": "xlsx"})

    export = ReportExport.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/exports/{export.pk}/"
    assert client.get(response.url).status_code == 200
    download = client.get(f"/api/v1/reports/{run.pk}/download", {"file_format": "xlsx"})
    assert download.status_code == 200 and download.content[:2] == b"PK"


def test_an_unknown_format_is_a_clear_400_and_nothing_is_queued(personas, client_for, run):
    api = client_for("coordinator").post(
        f"/api/v1/reports/{run.pk}/exports", {"format": "docx"}, content_type="application/json"
    )
    page = client_for("coordinator").post(f"/reports/exports/new/{run.pk}", {"format": "docx"})

    assert api.status_code == 400 and "format" in api.json()["errors"]
    assert page.status_code == 400
    assert not ReportExport.objects.exists()
