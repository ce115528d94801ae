"""The coordinator's journey: a monthly report by region, its chart, the PDF built in the
background while she watches the progress bar, and the file she downloads."""

import datetime
import io
import re
import threading
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from crisis_ops.report_exports import services as export_services
from crisis_ops.report_exports import tasks
from crisis_ops.report_exports.models import ReportExport
from crisis_ops.reports.definition import add_months
from crisis_ops.reports.exports.render import render_report
from crisis_ops.reports.models import ReportRun
from crisis_ops.reports.result import PublishedReport
from tests.browser.factories import no_sideways_scroll, signed_in_context
from tests.cases.factories import intake

pytestmark = pytest.mark.browser


def _incidents(personas, actor, center, day, n):
    for _ in range(n):
        intake(actor, center, incident={"occurred_on": day})


@pytest.fixture
def gated_build(monkeypatch):
    """The Celery task runs in a thread of its own, as a worker would, and stops after
    its first steps until the test lets it render: the page's bar can be watched."""
    gate, threads = threading.Event(), []
    render = render_report

    def held_render(report, file_format):
        assert gate.wait(timeout=60), "the test never let the file render"
        return render(report, file_format)

    def work(export_id):
        try:
            export_services.export_build(export_id=export_id)
        finally:
            connection.close()

    def delay(export_id):
        thread = threading.Thread(target=work, args=(export_id,), daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(export_services, "render_report", held_render)
    monkeypatch.setattr(tasks.build_export, "delay", delay)
    yield gate
    gate.set()
    for thread in threads:
        thread.join(timeout=60)


def _last_seen(context):
    session_key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    return store.get("last_seen")


def test_the_coordinator_builds_a_monthly_report_by_region_and_downloads_its_pdf(
    server_url, browser, personas, artifacts, gated_build
):
    last = add_months(timezone.localdate().replace(day=1), -1)
    before = add_months(last, -1)
    _incidents(personas, personas.caseworker, personas.center, last.replace(day=10), 6)
    _incidents(personas, personas.caseworker, personas.center, before.replace(day=10), 5)
    _incidents(
        personas,
        personas.caseworker_other_center,
        personas.other_center,
        last.replace(day=12),
        7,
    )
    context = signed_in_context(browser, server_url, personas.coordinator)
    page = context.new_page()

    # The builder offers the last 12 months by month; she adds the regions as columns.
    page.goto(f"{server_url}/reports/")
    page.get_by_label("Figure").select_option("incidents")
    assert page.get_by_label("Rows").input_value() == "month"
    page.get_by_label("Columns").select_option("region")
    page.get_by_label("Language of the report").select_option("en")
    page.get_by_role("button", name="Build the report").click()
    page.wait_for_url(re.compile(r"/reports/runs/[0-9a-f-]+/$"))

    # The chart is drawn on the server: bars for the months that had incidents.
    chart = page.locator("figure.report-chart svg")
    assert chart.is_visible()
    assert chart.locator("rect").count() >= 3
    table = page.locator("table.report-table").first
    assert "Almaty" in table.inner_text() and "Astana" in table.inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "report-journey-result.png"), full_page=True)
    run = ReportRun.objects.get()
    published = PublishedReport.from_dict(run.result)
    assert published.grand_total.display == "18"

    # She asks for the PDF: the bar appears in the page and moves as the worker goes on.
    page.get_by_role("button", name="Export as PDF").click()
    bar = page.locator("#export-area progress")
    bar.wait_for()
    seen_after_click = _last_seen(context)
    # The worker stops before rendering, at 20 %: the polled bar shows it.
    expect(bar).to_have_attribute("value", "20", timeout=15_000)
    assert "Being built" in page.locator("#export-area").inner_text()
    export = ReportExport.objects.get()
    assert export.status == "running" and export.format == "pdf"
    # The bar moved by polling, and polling is no activity: the session was not renewed.
    assert _last_seen(context) == seen_after_click
    page.screenshot(path=str(artifacts / "report-journey-progress.png"), full_page=True)

    gated_build.set()  # the worker renders and stores the file
    link = page.get_by_role("link", name="Download the PDF file")
    link.wait_for(timeout=15_000)
    assert int(bar.get_attribute("value")) == 100
    assert page.locator("#export-area [hx-trigger]").count() == 0  # polling has stopped
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as file:
        data = file.read()
    assert data[:5] == b"%PDF-"

    # The file says what the page published, and nothing finer or more personal.
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert published.figure_label in text
    for label in ("Almaty", "Astana"):
        assert label in text
    totals = [c.display for c in published.column_totals] + [published.grand_total.display]
    assert totals == ["11", "7", "18"]
    for row, cells in zip(published.rows.labels, published.cells, strict=True):
        if any(c.value for c in cells):
            assert row in text
            assert " ".join(c.display for c in cells) in text
    assert " ".join(totals) in text
    assert " ".join(published.paragraph.split()) in text
    for case in personas.center.cases.all():
        assert case.reference not in text and case.survivor.code not in text
    assert (last.replace(day=10)).isoformat() not in text
    assert datetime.date.today().isoformat() not in text
    context.close()
