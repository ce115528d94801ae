"""Report pages: the persona ladder, building a report, saved reports re-run in one click,
the dashboard panel, and the page budget."""

import pytest
import time_machine

from crisis_ops.reports.models import ReportRun, SavedReport

pytestmark = pytest.mark.django_db
MAY_REPORT = ["coordinator", "supervisor", "supervisor_other_center"]
MAY_NOT = ["caseworker", "caseworker_other_center", "shelter_manager", "org_admin"]
MONTHLY = {
    "figure": "incidents",
    "start": "2026-02",
    "end": "2026-03",
    "breakdown_1": "month",
    "breakdown_2": "region",
    "language": "en",
}


@pytest.fixture(autouse=True)
def _april_2026():
    with time_machine.travel("2026-04-15 10:00 +05:00", tick=False):
        yield


@pytest.mark.parametrize("persona", MAY_REPORT + MAY_NOT + ["anonymous"])
def test_builder_ladder(client_for, personas, persona):
    response = client_for(persona).get("/reports/")
    expected = 200 if persona in MAY_REPORT else {"anonymous": 302}.get(persona, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("persona", MAY_REPORT + MAY_NOT + ["anonymous"])
def test_run_page_ladder_only_whoever_asked(client_for, personas, persona):
    client_for("coordinator").post("/reports/", MONTHLY)
    run = ReportRun.objects.get()
    response = client_for(persona).get(f"/reports/runs/{run.pk}/")
    expected = {"coordinator": 200, "anonymous": 302}.get(
        persona, 404 if persona in MAY_REPORT else 403
    )
    assert response.status_code == expected


def test_the_coordinator_builds_a_monthly_report_by_region(client_for, seeded):
    client = client_for("coordinator")
    response = client.post("/reports/", MONTHLY, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    assert "Almaty" in page and "&lt;5" in page
    assert "2 cases were left out" in page
    assert 'id="paragraph"' in page
    assert len(response.content) < 150_000


def test_a_bad_period_is_refused_on_the_page_and_nothing_runs(client_for, personas):
    response = client_for("coordinator").post("/reports/", {**MONTHLY, "end": "2026-01"})
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    assert not ReportRun.objects.exists()


def test_a_period_without_data_says_so(client_for, personas):
    response = client_for("coordinator").post("/reports/", MONTHLY, follow=True)
    assert 'id="no-data"' in response.content.decode()


def test_a_saved_report_runs_for_the_next_period_in_one_click(client_for, seeded):
    client = client_for("coordinator")
    client.post("/reports/", {**MONTHLY, "start": "2026-02", "end": "2026-02"})
    run = ReportRun.objects.get()
    client.post(f"/reports/runs/{run.pk}/save", {"name": "Monthly by region"})
    saved = SavedReport.objects.get()
    response = client.post(f"/reports/saved/{saved.pk}/next", follow=True)
    assert response.status_code == 200
    latest = ReportRun.objects.exclude(pk=run.pk).get()
    assert (latest.definition["start"], latest.definition["end"]) == ("2026-03", "2026-03")
    saved.refresh_from_db()
    assert saved.definition["start"] == "2026-03"


def test_someone_elses_saved_report_is_404(client_for, seeded):
    client_for("coordinator").post("/reports/", MONTHLY)
    run = ReportRun.objects.get()
    client_for("coordinator").post(f"/reports/runs/{run.pk}/save", {"name": "Mine"})
    saved = SavedReport.objects.get()
    response = client_for("supervisor").post(f"/reports/saved/{saved.pk}/next")
    assert response.status_code == 404


def test_the_coordinators_dashboard_shows_this_months_headlines(client_for, personas):
    page = client_for("coordinator").get("/").content.decode()
    assert "Figures for advocacy" in page and "New cases (intakes)" in page


@pytest.mark.parametrize(
    "persona, change, message",
    [
        (
            "coordinator",
            {"start": "2026-03", "end": "2026-01"},
            "The period ends before it starts.",
        ),
        ("coordinator", {"end": "2026-08"}, "The period lies in the future."),
        ("coordinator", {"figure": "nope"}, "Select a valid choice."),
        # A figure only another figure divides by is no report of its own.
        ("coordinator", {"figure": "population"}, "Select a valid choice."),
        # A breakdown of another figure (turn-aways have reasons, incidents do not).
        ("coordinator", {"breakdown_2": "turn_away_reason"}, "Unknown breakdown for this figure."),
        ("coordinator", {"breakdown_1": "shoe_size"}, "Select a valid choice."),
        ("coordinator", {"breakdown_1": "region", "breakdown_2": "region"}, "Choose two different"),
        ("coordinator", {"start": "March"}, "Give the first month as YYYY-MM."),
        # A supervisor reports on her own center only.
        ("supervisor", "other_center", "Select a valid choice."),
    ],
)
def test_bad_input_on_the_builder_says_why_and_runs_nothing(
    client_for, personas, persona, change, message
):
    if change == "other_center":
        change = {"organisations": [str(personas.other_center.pk)]}
    response = client_for(persona).post("/reports/", {**MONTHLY, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportRun.objects.exists()


def test_the_result_page_offers_each_export_with_its_progress_area(client_for, seeded):
    client = client_for("coordinator")
    page = client.post("/reports/", MONTHLY, follow=True).content.decode()
    run = ReportRun.objects.get()
    for file_format in ("csv", "xlsx", "pdf"):
        assert f'value="{file_format}"' in page
    assert page.count(f'hx-post="/reports/exports/new/{run.pk}"') == 3
    assert page.count('name="idempotency_key"') >= 4  # each export button and the save form
    assert 'id="export-area" aria-live="polite"' in page


def test_a_report_without_data_offers_no_file_of_it(client_for, personas):
    page = client_for("coordinator").post("/reports/", MONTHLY, follow=True).content.decode()
    assert 'id="no-data"' in page and "/reports/exports/new/" not in page


def test_from_the_page_the_export_button_brings_back_a_polling_progress_bar(
    client_for, seeded, django_capture_on_commit_callbacks
):
    from crisis_ops.report_exports.models import ReportExport

    client = client_for("coordinator")
    client.post("/reports/", MONTHLY)
    run = ReportRun.objects.get()
    htmx = {"HTTP_HX_REQUEST": "true"}
    queued = client.post(f"/reports/exports/new/{run.pk}", {"format": "pdf"}, **htmx)
    export = ReportExport.objects.get()
    bar = queued.content.decode()
    assert queued.status_code == 200 and "<progress" in bar
    # It polls while queued, as a background refresh that keeps no idle session alive.
    assert 'hx-trigger="every 2s"' in bar and '"X-Background-Refresh": "1"' in bar
    from crisis_ops.report_exports.services import export_build

    export_build(export_id=export.pk)
    done = client.get(
        f"/reports/exports/{export.pk}/progress", HTTP_X_BACKGROUND_REFRESH="1", **htmx
    ).content.decode()
    assert "hx-trigger" not in done  # finished: the bar stops polling
    assert f'href="/reports/exports/{export.pk}/download"' in done
