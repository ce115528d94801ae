"""Retention: each organisation's policy, hand-set legal holds, the purge schedule and journal,
and erasure requests.

Nothing here holds a name or any case content: survivors and cases are named by id (and a
hold by its case's reference), a hold's reason is encrypted, and a finished purge job is the
content-free record of what went (what kind of purge, how many rows of each model, which
policy).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crisis_ops.core.models import TimeStampedModel, UUIDModel
from crisis_ops.encryption.fields import EncryptedTextField
from crisis_ops.organisations.models import Organisation

DEFAULT_YEARS = 5
MIN_YEARS, MAX_YEARS = 1, 75
# The org admins are told this many days before anything of a survivor is purged.
NOTICE_DAYS = 30

_YEARS = [MinValueValidator(MIN_YEARS), MaxValueValidator(MAX_YEARS)]


class RetentionPolicy(TimeStampedModel):
    """How long an organisation keeps a closed case: ``years`` after it closed, unless a
    rule for a kind of case the case is says otherwise (the longest such rule wins)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="retention_policy"
    )
    years = models.PositiveSmallIntegerField(
        _("years kept after closing"), default=DEFAULT_YEARS, validators=_YEARS
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.years}"


class RetentionRule(UUIDModel):
    policy = models.ForeignKey(RetentionPolicy, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind of case"), max_length=40)
    years = models.PositiveSmallIntegerField(_("years kept after closing"), validators=_YEARS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy", "kind"], name="one_rule_per_case_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.years}"


class LegalHold(TimeStampedModel):
    """A hold set by hand on one case, with a reason; it blocks the purge until released."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    case_id = models.UUIDField(db_index=True)
    case_reference = models.CharField(_("case"), max_length=24)
    reason = EncryptedTextField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"hold {self.case_reference}"


class PurgeSchedule(UUIDModel):
    """A survivor whose every case is due (or due within the notice period), the day her
    organisation was told, and the first day she may be purged (at least 30 days later).

    The row goes as soon as she stops being due (a case reopened, a hold set), so she is
    announced again, 30 days ahead, before any later purge.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    survivor_id = models.UUIDField(unique=True)
    due_on = models.DateField()
    notified_on = models.DateField()
    purge_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "purge_on"])]

    def __str__(self) -> str:
        return f"{self.survivor_id} on {self.purge_on}"


class PurgeNotice(TimeStampedModel):
    """What the org admins were told: counts only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    purge_on = models.DateField()
    survivors = models.PositiveIntegerField()
    cases = models.PositiveIntegerField()

    class Meta:
        ordering = ["-purge_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "purge_on"], name="one_purge_notice_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survivors} on {self.purge_on}"


class ErasureRequest(TimeStampedModel):
    """A survivor asked for her file to be erased: a supervisor asks, an org admin (another
    person) confirms, and the purge runs at once."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an organisation admin")
        CONFIRMED = "confirmed", _("Confirmed, being erased")
        DONE = "done", _("Erased")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    survivor_id = models.UUIDField(db_index=True)
    # Blanked once she is erased: the record then names nothing but ids.
    case_reference = models.CharField(_("case"), max_length=24, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survivor_id"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="one_open_erasure_per_survivor",
            )
        ]

    def __str__(self) -> str:
        return f"erasure {self.pk} ({self.status})"


class PurgeJob(UUIDModel):
    """The purge journal, one row per survivor: written (pending) before her key is
    destroyed, finished in the transaction that deletes her rows. A pending row is a purge
    to finish; a done row is the content-free record of it."""

    class Kind(models.TextChoices):
        RETENTION = "retention", _("Retention period over")
        ERASURE = "erasure", _("Erasure on request")

    class Status(models.TextChoices):
        PENDING = "pending", _("In progress")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    survivor_id = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    policy = models.ForeignKey(
        RetentionPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erasure = models.ForeignKey(
        ErasureRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    key_destroyed_at = models.DateTimeField(null=True, blank=True)
    # Model label -> rows deleted. Counts only.
    rows = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survivor_id"],
                condition=Q(status="pending"),
                name="one_pending_purge_per_survivor",
            )
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"purge {self.pk} ({self.status})"

    @property
    def row_total(self) -> int:
        return sum(self.rows.values())
