"""Export jobs: built in the background, stored encrypted, audited, deleted after 7 days."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from crisis_ops.audit.models import AuditEvent
from crisis_ops.report_exports import services, tasks
from crisis_ops.report_exports.models import ReportExport
from crisis_ops.reports.exports.render import render_report
from tests.reports.exports.factories import published

pytestmark = pytest.mark.django_db


def _actions(export):
    return list(
        AuditEvent.objects.filter(object_id=str(export.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_requested_export_is_built_by_the_task_with_progress_to_100(personas, export_for):
    export = export_for(personas.coordinator, "csv")

    assert export.status == "ready" and export.progress == 100
    assert export.started_at <= export.finished_at
    week = export.created_at + datetime.timedelta(days=7)
    assert abs(export.expires_at - week) < datetime.timedelta(seconds=5)
    assert _actions(export) == ["report.export_requested", "report.export_built"]


def test_the_task_saves_progress_as_it_goes(personas, export_for, monkeypatch):
    export = export_for(personas.coordinator, "pdf", build=False)
    seen = []
    original = services._progress

    def spy(job, progress, **fields):
        original(job, progress, **fields)
        seen.append(ReportExport.objects.get(pk=job.pk).progress)  # visible to a poll now

    monkeypatch.setattr(services, "_progress", spy)

    tasks.build_export(str(export.pk))

    assert seen == sorted(seen) and seen[0] < 50 < seen[-1] == 100


def test_the_file_on_disk_is_encrypted_and_decrypts_to_the_rendered_report(
    personas, export_for, _private_export_dir
):
    export = export_for(personas.coordinator, "csv")

    stored = (_private_export_dir / export.file_name).read_bytes()
    assert "Қаңтар".encode() not in stored and b"<5" not in stored
    data = services.export_download(actor=personas.coordinator, export=export)
    assert data == render_report(published(), "csv")
    assert _actions(export)[-1] == "report.export_downloaded"


def test_the_directory_is_not_under_media_or_static(settings, _private_export_dir):
    from pathlib import Path

    from crisis_ops import settings as real

    private = Path(real.REPORT_EXPORT_DIR).resolve()
    for served in (real.STATIC_ROOT, getattr(real, "MEDIA_ROOT", "") or real.STATIC_ROOT):
        assert not private.is_relative_to(Path(served).resolve())


def test_an_unknown_format_is_refused_and_nothing_is_queued(personas):
    with pytest.raises(ValidationError) as error:
        services.export_request(
            actor=personas.coordinator, run_id=uuid.uuid4(), report=published(), format="docx"
        )

    assert "format" in error.value.message_dict
    assert not ReportExport.objects.exists()


def test_a_failed_render_marks_the_job_failed_and_audits_it(personas, export_for, monkeypatch):
    def broken(report, format_code):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "render_report", broken)
    export = export_for(personas.coordinator, "xlsx")

    assert export.status == "failed" and export.error == "render_failed" and not export.file_name
    assert _actions(export)[-1] == "report.export_failed"


def test_building_twice_does_nothing_the_second_time(personas, export_for):
    export = export_for(personas.coordinator, "csv")

    tasks.build_export(str(export.pk))
    tasks.build_export(str(uuid.uuid4()))  # a job that is gone: quietly nothing

    assert _actions(export).count("report.export_built") == 1


def test_after_7_days_the_file_is_deleted_by_the_beat_task_and_cannot_be_downloaded(
    personas, export_for, _private_export_dir
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        export = export_for(personas.coordinator, "pdf")
    path = _private_export_dir / export.file_name

    with time_machine.travel(start + datetime.timedelta(days=6, hours=23), tick=False):
        assert tasks.delete_expired_exports() == 0
        assert services.export_download(actor=personas.coordinator, export=export)
    with time_machine.travel(start + datetime.timedelta(days=7, seconds=1), tick=False):
        export.refresh_from_db()
        with pytest.raises(services.NotDownloadable):  # expired even before the sweep ran
            services.export_download(actor=personas.coordinator, export=export)
        assert tasks.delete_expired_exports() == 1
        assert tasks.delete_expired_exports() == 0

    export.refresh_from_db()
    assert export.status == "expired" and export.file_name == ""
    assert not path.exists()
    assert _actions(export)[-1] == "report.export_deleted"


def test_the_sweep_is_in_the_beat_schedule():
    from crisis_ops.celery import app

    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "crisis_ops.report_exports.tasks.delete_expired_exports" in tasks_scheduled


def test_nobody_but_the_requester_may_download(personas, export_for):
    export = export_for(personas.coordinator, "csv")

    with pytest.raises(services.NotDownloadable):
        services.export_download(actor=personas.supervisor, export=export)
