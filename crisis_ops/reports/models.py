"""Report runs, saved definitions, and the suppression patterns already published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crisis_ops.core.models import TimeStampedModel, UUIDModel
from crisis_ops.reports.result import PublishedReport


class ReportRun(TimeStampedModel):
    """One request for a report: its definition, progress and published result."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_runs"
    )
    # {"figure", "start", "end" ("YYYY-MM"), "breakdowns": [..], "filters": {..},
    #  "organisations": [ids], "language"} — validated by reports.definition.
    definition = models.JSONField(_("definition"))
    # The organisations the requester could see when the run was made: its scope.
    organisation_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    result = models.JSONField(null=True, blank=True)  # PublishedReport.to_dict()
    error = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.definition.get('figure', '?')} · {self.status}"

    def published(self) -> PublishedReport | None:
        return PublishedReport.from_dict(self.result) if self.result else None


class SavedReport(TimeStampedModel):
    """A report definition the coordinator keeps, re-run for a later period in one click."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_reports"
    )
    name = models.CharField(_("name"), max_length=100)
    definition = models.JSONField(_("definition"))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublishedCell(UUIDModel):
    """Whether one cell of a figure was published or hidden, the first time it was shown.

    ``scope_key`` names the figure's population (organisations and filters); ``cell_key``
    the cell ("month=2026-03|region=astana", or with the period for cells without a
    time member). A cell hidden once stays hidden in every later report, so two reports
    never show two different patterns of the same numbers.
    """

    figure = models.CharField(max_length=60)
    scope_key = models.CharField(max_length=64)
    cell_key = models.CharField(max_length=300)
    hidden = models.BooleanField()
    first_run = models.ForeignKey(ReportRun, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "scope_key", "cell_key"], name="one_pattern_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.cell_key} {'hidden' if self.hidden else 'shown'}"
