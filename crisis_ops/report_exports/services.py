"""Writing export jobs: request, build (from the Celery task), download, and expiry.

Every step writes its audit row itself; the audit holds ids and action names only.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.report_exports import storage
from crisis_ops.report_exports.models import ReportExport
from crisis_ops.reports.exports.render import FORMATS, render_report
from crisis_ops.reports.result import PublishedReport

logger = logging.getLogger(__name__)


@transaction.atomic
def export_request(
    *, actor: User, run_id: uuid.UUID, report: PublishedReport, format: str
) -> ReportExport:
    """Queue a file of a published report; the task builds it after this commits."""
    if format not in FORMATS:
        raise ValidationError(
            {"format": _("Choose one of: %(formats)s.") % {"formats": ", ".join(FORMATS)}}
        )
    export = ReportExport.objects.create(
        run_id=run_id, report=report.to_dict(), requested_by=actor, format=format
    )
    audit_record(action="report.export_requested", actor=actor, obj=export)
    from crisis_ops.report_exports.tasks import build_export

    transaction.on_commit(lambda: build_export.delay(str(export.pk)))
    return export


def export_request_for_run(*, actor: User, run_id: uuid.UUID | str, format: str) -> ReportExport:
    """The page's and the API's one way in: the run as the reports core lets her see it
    (404 for anyone but whoever ran it), then its published result, frozen on the job."""
    from crisis_ops.reports.selectors import report_run_get_for_user

    run = report_run_get_for_user(user=actor, run_id=run_id)
    if not run.result:
        raise ValidationError({"report": _("This report has not finished yet.")})
    report = PublishedReport.from_dict(run.result)
    return export_request(actor=actor, run_id=run.pk, report=report, format=format)


def _progress(export: ReportExport, progress: int, **fields: Any) -> None:
    """Saved at once, outside any long transaction, so the page polling it sees it move."""
    export.progress = progress
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=["progress", "updated_at", *fields])


def export_build(*, export_id: uuid.UUID | str) -> ReportExport | None:
    """Render, encrypt and store the file; quietly nothing if the job is gone or done."""
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != ReportExport.Status.QUEUED:
            return export
        _progress(export, 5, status=ReportExport.Status.RUNNING, started_at=timezone.now())
    try:
        report = PublishedReport.from_dict(export.report)
        _progress(export, 20)
        data = render_report(report, export.format)
        _progress(export, 80)
        name = storage.file_write(export_id=export.pk, data=data)
    except Exception:
        logger.exception("report export %s failed", export.pk)  # ids only, no figures
        with transaction.atomic():
            _progress(
                export,
                export.progress,
                status=ReportExport.Status.FAILED,
                error="render_failed",
                finished_at=timezone.now(),
            )
            audit_record(action="report.export_failed", actor=export.requested_by, obj=export)
        return export
    with transaction.atomic():
        _progress(
            export,
            100,
            status=ReportExport.Status.READY,
            file_name=name,
            size=len(data),
            finished_at=timezone.now(),
        )
        audit_record(action="report.export_built", actor=export.requested_by, obj=export)
    return export


class NotDownloadable(Exception):
    pass


@transaction.atomic
def export_download(*, actor: User, export: ReportExport) -> bytes:
    """The file's bytes for whoever asked for it, while it is ready and not expired."""
    if actor.pk != export.requested_by_id or not export.is_downloadable():
        raise NotDownloadable
    data = storage.file_read(export_id=export.pk, name=export.file_name)
    audit_record(action="report.export_downloaded", actor=actor, obj=export)
    return data


def exports_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete every file past its 7 days; the row stays as an empty record. Returns how many."""
    now = now or timezone.now()
    done = 0
    expired = ReportExport.objects.filter(expires_at__lte=now).exclude(
        status=ReportExport.Status.EXPIRED
    )
    for export_id in expired.values_list("pk", flat=True):
        with transaction.atomic():
            export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
            if export is None or export.status == ReportExport.Status.EXPIRED:
                continue
            storage.file_delete(name=export.file_name)
            export.status, export.file_name = ReportExport.Status.EXPIRED, ""
            export.save(update_fields=["status", "file_name", "updated_at"])
            audit_record(action="report.export_deleted", obj=export)
            done += 1
    return done
