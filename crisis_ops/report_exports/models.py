"""A report file asked for: built in the background, downloadable by whoever asked, for 7 days.

The file is rendered from the published report frozen here at request time (the run's
suppressed result), so it shows exactly what the page showed. It is stored encrypted, in a
private directory that nothing serves (``REPORT_EXPORT_DIR``), and deleted when it expires;
the row stays, without the file, as the record of what was made and when.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisis_ops.core.models import TimeStampedModel

KEEP_FOR = datetime.timedelta(days=7)


def _expiry() -> datetime.datetime:
    return timezone.now() + KEEP_FOR


class ReportExport(TimeStampedModel):
    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX (Excel)"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Deleted after 7 days")

    # The report run it was made from (crisis_ops.reports); its published result is frozen below.
    run_id = models.UUIDField(db_index=True)
    report = models.JSONField()  # PublishedReport.to_dict(): suppressed figures only
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    file_name = models.CharField(max_length=100, blank=True)  # inside REPORT_EXPORT_DIR
    size = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=40, blank=True)  # a code, never a value
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_expiry)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "run_id", "format"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.format})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED, self.Status.EXPIRED)

    def is_downloadable(self, now: datetime.datetime | None = None) -> bool:
        return self.status == self.Status.READY and self.expires_at > (now or timezone.now())

    @property
    def download_name(self) -> str:
        figure = str(self.report.get("figure_key", "report"))
        period = f"{self.report.get('period_start', '')}_{self.report.get('period_end', '')}"
        return f"{figure}_{period}.{self.format}"
