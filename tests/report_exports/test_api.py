"""The API: an export job's status, and reports/{id}/download, for the requester only."""

import uuid

import pytest

from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

EXPECTED = {name: 404 for name in PERSONAS} | {"coordinator": 200, "anonymous": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_job_status_walks_the_persona_ladder(persona, personas, client_for, export_for):
    export = export_for(personas.coordinator, "pdf")

    response = client_for(persona).get(f"/api/v1/report-exports/{export.pk}")

    assert response.status_code in ((EXPECTED[persona],) if persona != "anonymous" else (401, 403))
    if response.status_code == 200:
        body = response.json()
        assert body["status"] == "ready" and body["progress"] == 100
        assert body["report"] == str(export.run_id)
        assert body["download_url"] == f"/api/v1/reports/{export.run_id}/download?file_format=pdf"


@pytest.mark.parametrize("persona", PERSONAS)
def test_download_walks_the_persona_ladder(persona, personas, client_for, export_for):
    export = export_for(personas.coordinator, "csv")

    response = client_for(persona).get(
        f"/api/v1/reports/{export.run_id}/download", {"file_format": "csv"}
    )

    assert response.status_code in ((EXPECTED[persona],) if persona != "anonymous" else (401, 403))
    if response.status_code == 200:
        assert response.content.startswith("\ufeff".encode())


def test_download_gives_her_newest_file_of_that_report_in_that_format(
    personas, client_for, export_for
):
    run_id = uuid.uuid4()
    export_for(personas.coordinator, "csv", run_id=run_id)
    export_for(personas.coordinator, "xlsx", run_id=run_id)
    client = client_for("coordinator")

    csv_file = client.get(f"/api/v1/reports/{run_id}/download", {"file_format": "csv"})
    xlsx_file = client.get(f"/api/v1/reports/{run_id}/download", {"file_format": "xlsx"})
    no_pdf = client.get(f"/api/v1/reports/{run_id}/download", {"file_format": "pdf"})

    assert csv_file["Content-Type"].startswith("text/csv")
    assert xlsx_file.content[:2] == b"PK"
    assert no_pdf.status_code == 404


@pytest.mark.parametrize("query", [{}, {"file_format": "docx"}])
def test_a_bad_format_is_a_clear_400(query, personas, client_for, export_for):
    export = export_for(personas.coordinator, "csv")

    response = client_for("coordinator").get(f"/api/v1/reports/{export.run_id}/download", query)

    assert response.status_code == 400
    assert "file_format" in response.json()["errors"]


def test_still_building_is_409_with_the_progress(personas, client_for, export_for):
    export = export_for(personas.coordinator, "csv", build=False)

    response = client_for("coordinator").get(
        f"/api/v1/reports/{export.run_id}/download", {"file_format": "csv"}
    )

    assert response.status_code == 409
    assert response.json()["progress"] == 0
