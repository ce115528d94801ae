from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crisis_ops.core.models import UUIDModel


class Notification(UUIDModel):
    """One message to one user, shown in the app and sent by e-mail.

    It names the object by type and id only: the text is rendered from
    ``kind`` in the recipient's language, never stored with personal data.
    """

    class Kind(models.TextChoices):
        HIGH_RISK = "high_risk", _("High risk assessed")
        ORDER_EXPIRING = "order_expiring", _("Protection order expiring")
        POLICE_CHECK_DUE = "police_check_due", _("Police check due")
        POLICE_CHECK_OVERDUE = "police_check_overdue", _("Police check overdue")
        ORDER_EXPIRED_NO_DECISION = "order_expired_no_decision", _("Order expired with no decision")
        STAY_ENDING = "stay_ending", _("Shelter stay ending")
        HOLD_CONFIRMED = "hold_confirmed", _("Bed hold confirmed")
        HOLD_RELEASED = "hold_released", _("Bed hold released by the shelter")
        HOLD_EXPIRED = "hold_expired", _("Bed hold expired")
        REFERRAL_RECEIVED = "referral_received", _("Referral received")
        REFERRAL_ANSWERED = "referral_answered", _("Referral answered")
        REFERRAL_ANSWER_OVERDUE = "referral_answer_overdue", _("Referral answer overdue")
        REFERRAL_ANSWER_ESCALATED = "referral_answer_escalated", _("Referral still unanswered")
        REFERRAL_CONSENT_REVOKED = "referral_consent_revoked", _("Consent of a referral revoked")
        CONSENT_OVERRIDDEN = "consent_overridden", _("Referral without consent (danger to life)")
        CONSENT_EXPIRING = "consent_expiring", _("Consent expiring")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
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
