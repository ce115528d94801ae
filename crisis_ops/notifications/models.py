from django.conf import settings
from django.db import models

from crisis_ops.core.models import UUIDModel
from crisis_ops.notifications.kinds import Text, kind_label, validate_kind


class Notification(UUIDModel):
    """One message to one user, shown in the app and sent by e-mail.

    It names the object by type and id only: the text is rendered from
    ``kind`` in the recipient's language, never stored with personal data.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Registered by the sending app (crisis_ops.notifications.kinds), not database choices.
    kind = models.CharField(max_length=40, validators=[validate_kind])
    # Set when a reminder caused it: one notification per reminder, whatever retries happen.
    reminder = models.OneToOneField(
        "reminders.Reminder", on_delete=models.CASCADE, null=True, blank=True
    )
    object_type = models.CharField(max_length=64)
    object_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            # Exactly once: the same event never notifies the same person twice.
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_type", "object_id"],
                condition=models.Q(reminder__isnull=True),
                name="one_notification_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def kind_label(self) -> Text:
        return kind_label(self.kind)
