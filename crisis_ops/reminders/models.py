"""The reminder outbox: one row per reminder, written in the same transaction as
the thing it reminds of. PostgreSQL is the truth; Redis only carries the ids of
rows already claimed, so losing Redis loses no reminder."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crisis_ops.core.models import UUIDModel
from crisis_ops.notifications.kinds import Text, kind_label
from crisis_ops.reminders.registry import validate_reminder_kind


class Reminder(UUIDModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("No longer needed")
        FAILED = "failed", _("Failed")

    # Registered by the owning app (crisis_ops.reminders.registry), not database choices.
    kind = models.CharField(max_length=40, validators=[validate_reminder_kind])
    # What it is about: ids only, never text.
    object_type = models.CharField(max_length=64)
    object_id = models.UUIDField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    due_at = models.DateTimeField()
    # kind:object:date:recipient — the same reminder can exist only once.
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claims = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            # The sweep reads only what is due: this index holds only unsent rows,
            # so its cost follows what is due, not how many reminders exist.
            models.Index(
                fields=["due_at"],
                name="reminder_unsent_due",
                condition=Q(status__in=["pending", "queued"]),
            ),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self) -> Text:
        return kind_label(self.kind)
