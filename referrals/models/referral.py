"""A referral of one case to one partner, with what it shares frozen at sending."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Consent
from crisis_ops.core.models import TimeStampedModel
from crisis_ops.encryption.fields import EncryptedJSONField, EncryptedTextField
from crisis_ops.organisations.models import Organisation
from referrals.choices import DeclineReason, Delivery, Outcome, Service, TransferReason
from referrals.models.partner import Partner

_USER = settings.AUTH_USER_MODEL


class Referral(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        # The case's center sends a part of it to a partner (or hands it over).
        REFERRAL = "referral", _("Referral")
        # A center asks the case's center for a case it already helps on a referral.
        TRANSFER_REQUEST = "transfer_request", _("Transfer request")

    LIVE = (Status.SENT, Status.ACCEPTED)

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    # from_organisation always sent it and to_organisation always answers it. For a
    # transfer request that means the asking center is "from" and the owning center "to".
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REFERRAL)
    # A transfer request: the accepted referral through which the asking center helps her.
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transfer_requests"
    )
    request_reason = models.CharField(
        _("why you ask"), max_length=20, choices=TransferReason.choices, blank=True
    )
    request_note = EncryptedTextField(_("note to the center"), blank=True, null=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    # The partner's Organisation when it is a center of the network: its incoming list.
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Service.choices)
    is_transfer = models.BooleanField(_("full transfer of responsibility"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    # ConsentPart values chosen at sending; the snapshot holds exactly these.
    parts = models.JSONField(_("shared parts"), default=list)
    snapshot = EncryptedJSONField(null=True, blank=True)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    consent_overridden = models.BooleanField(default=False)
    override_reason = EncryptedTextField(blank=True)
    consent_revoked_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(
        _("how it went out"), max_length=10, choices=Delivery.choices, default=Delivery.IN_APP
    )

    sent_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    answer_due_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    completed_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    cancelled_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organisation", "status", "-sent_at"]),
            models.Index(fields=["to_organisation", "-sent_at"]),
            models.Index(fields=["from_organisation", "status", "-sent_at"]),
            models.Index(fields=["case", "-sent_at"]),
            models.Index(
                fields=["answer_due_at"], name="referral_waiting_due", condition=Q(status="sent")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="referral", based_on__isnull=True)
                | Q(kind="transfer_request", based_on__isnull=False, is_transfer=True),
                name="transfer_request_is_a_transfer_based_on_a_referral",
            ),
            # Two centers can never both take over responsibility for one case.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_transfer=True, status__in=["sent", "accepted"]),
                name="one_live_transfer_per_case",
            ),
            models.UniqueConstraint(
                fields=["case", "partner", "purpose"],
                condition=Q(status__in=["sent", "accepted"]),
                name="one_live_referral_per_partner_and_purpose",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.SENT and self.answer_due_at < timezone.now()

    @property
    def is_external(self) -> bool:
        return self.to_organisation_id is None

    @property
    def is_request(self) -> bool:
        return self.kind == self.Kind.TRANSFER_REQUEST

    @property
    def giving_organisation_id(self) -> Any:
        """The center whose case it is at sending: it gives the case (or a part of it)."""
        return self.to_organisation_id if self.is_request else self.from_organisation_id

    @property
    def taking_organisation_id(self) -> Any:
        """The center that gets access, or responsibility, when it is accepted."""
        return self.from_organisation_id if self.is_request else self.to_organisation_id
