"""Status page, progress poll and download: the requester only, every persona walked."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crisis_ops.audit.models import AuditEvent
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))
BACKGROUND = {"HTTP_X_BACKGROUND_REFRESH": "1", "HTTP_HX_REQUEST": "true"}
# Only dana, the coordinator, asked for the file; a supervisor may see reports too, but not
# her file. Everyone else gets 404 (not 403: nobody learns that the job exists).
EXPECTED = {name: 404 for name in PERSONAS} | {"coordinator": 200, "anonymous": 302}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["status", "progress", "download"])
def test_only_the_requester_sees_the_job_or_gets_the_file(
    persona, page, personas, client_for, export_for
):
    export = export_for(personas.coordinator, "pdf")
    url = f"/reports/exports/{export.pk}/" + ("" if page == "status" else page)

    response = client_for(persona).get(url)

    assert response.status_code == EXPECTED[persona]
    if response.status_code == 200 and page == "download":
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="incidents_')
        assert (
            b"".join(response.streaming_content if response.streaming else [response.content])[:4]
            == b"%PDF"
        )


def test_the_progress_partial_polls_in_the_background_until_the_file_is_ready(
    personas, client_for, export_for
):
    queued = export_for(personas.coordinator, "csv", build=False)
    client = client_for("coordinator")

    polling = client.get(f"/reports/exports/{queued.pk}/progress").content.decode()
    ready = export_for(personas.coordinator, "csv")
    done = client.get(f"/reports/exports/{ready.pk}/progress").content.decode()

    assert 'hx-trigger="every 2s"' in polling and "X-Background-Refresh" in polling
    assert "data-background-refresh" in polling
    assert 'value="0"' in polling and "download" not in polling
    assert "hx-trigger" not in done  # finished: the poll stops
    assert f"/reports/exports/{ready.pk}/download" in done and 'value="100"' in done


def test_polling_the_progress_does_not_keep_an_idle_session_alive(personas, client_for, export_for):
    with time_machine.travel(START, tick=False) as clock:
        export = export_for(personas.coordinator, "csv", build=False)
        client = client_for("coordinator")
        assert client.get(f"/reports/exports/{export.pk}/").status_code == 200
        seen = client.session["last_seen"]
        for _ in range(7 * 60 // 2):  # a poll every 2 s for 7 minutes
            clock.shift(timedelta(seconds=2))
            poll = client.get(f"/reports/exports/{export.pk}/progress", **BACKGROUND)
            assert poll.status_code == 200
        assert client.session["last_seen"] == seen
        clock.shift(timedelta(minutes=8, seconds=1))

        response = client.get(f"/reports/exports/{export.pk}/progress", **BACKGROUND)

        assert response.status_code == 204
        assert response["HX-Redirect"] == "/accounts/login/?reason=idle"
        assert AuditEvent.objects.filter(action="auth.idle_logout").count() == 1


def test_a_file_still_being_built_answers_409_and_an_expired_one_410(
    personas, client_for, export_for
):
    client = client_for("coordinator")
    with time_machine.travel(START, tick=False) as clock:
        queued = export_for(personas.coordinator, "csv", build=False)
        ready = export_for(personas.coordinator, "csv")
        assert client.get(f"/reports/exports/{queued.pk}/download").status_code == 409
        clock.shift(timedelta(days=7, minutes=1))
        client = client_for("coordinator")

        response = client.get(f"/reports/exports/{ready.pk}/download")

    assert response.status_code == 410
    assert not AuditEvent.objects.filter(action="report.export_downloaded").exists()


def test_every_download_is_audited(personas, client_for, export_for):
    export = export_for(personas.coordinator, "xlsx")
    client = client_for("coordinator")

    client.get(f"/reports/exports/{export.pk}/download")
    client.get(f"/reports/exports/{export.pk}/download")

    events = AuditEvent.objects.filter(action="report.export_downloaded", object_id=str(export.pk))
    assert events.count() == 2
    assert set(events.values_list("actor_id", flat=True)) == {personas.coordinator.pk}


def test_the_list_shows_only_her_own_files(personas, client_for, export_for):
    mine = export_for(personas.coordinator, "csv")
    theirs = export_for(personas.supervisor, "csv")

    page = client_for("coordinator").get("/reports/exports/").content.decode()

    assert str(mine.pk) in page and str(theirs.pk) not in page


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_status_page_is_translated(language, personas, export_for):
    from django.test import Client

    from tests.personas import sign_in

    export = export_for(personas.coordinator, "csv")
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE=language), personas.coordinator)
    personas.coordinator.language = language
    personas.coordinator.save()

    page = client.get(f"/reports/exports/{export.pk}/").content.decode()

    expected = {"kk": "Жүктеп алуға дайын", "ru": "Готов к скачиванию", "en": "Ready to download"}
    assert expected[language] in page
