import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import UserObjectPermissionBase

from cases.models.choices import ConsentPart, ConsentScope, RiskBand, ServiceType, Source
from cases.models.survivor import Survivor
from crisis_ops.core.models import TimeStampedModel
from crisis_ops.encryption.fields import EncryptedJSONField, EncryptedTextField
from crisis_ops.organisations.models import Organisation


class Case(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIVE = "active", pgettext_lazy("case status", "Active")
        CLOSED = "closed", _("Closed")

    class ClosedReason(models.TextChoices):
        RESOLVED = "resolved", _("Goals reached")
        REFERRED = "referred", _("Referred elsewhere")
        LOST_CONTACT = "lost_contact", _("Contact lost")
        DECLINED = "declined", _("Declined further help")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("caseworker"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosedReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    # Confidentiality: shown as warnings on every page of the case.
    never_disclose_location = models.BooleanField(
        _("never disclose her location to family"), default=False
    )
    no_contact_by_phone = models.BooleanField(_("do not call her phone"), default=False)
    # A restricted case is visible only to the users named on it (object permissions).
    is_restricted = models.BooleanField(_("restricted"), default=False)
    # A legal hold: while a court case about her is pending, the file is never purged.
    court_case_pending = models.BooleanField(_("court case pending"), default=False)
    # The latest assessment's band (after override), kept here so lists can filter on it.
    risk_band = models.CharField(
        _("risk band"), max_length=10, choices=RiskBand.choices, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-created_at"]
        indexes = [
            # The list's default order within a center, and the same with a status filter.
            models.Index(fields=["organisation", "-opened_on", "-created_at"]),
            models.Index(fields=["organisation", "status", "-opened_on"]),
            models.Index(fields=["assigned_to", "status"]),
        ]
        # Granted on one case to the staff of a center it was referred to: the parts
        # the referral shares, never the case file itself.
        permissions = [("view_referred_case", _("Can see the shared parts of a referred case"))]

    def __str__(self) -> str:
        return self.reference


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions: restricted cases and transfers."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False
        indexes = [models.Index(fields=["user", "permission", "content_object"])]


class Consent(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=30, choices=ConsentScope.choices)
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # ConsentPart values: what a referral under this consent may share.
    parts = models.JSONField(_("parts it covers"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-granted_on"]

    def __str__(self) -> str:
        return f"{self.case} · {self.scope}"

    def is_valid_on(self, day: object) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= day  # type: ignore[operator]

    @property
    def part_labels(self) -> list[str]:
        labels = dict(ConsentPart.choices)
        return [str(labels.get(part, part)) for part in self.parts]

    def missing_parts(self, parts: list[str]) -> list[str]:
        """The wanted parts this consent does not cover, in the order asked."""
        return [part for part in parts if part not in self.parts]


class Note(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = EncryptedTextField(_("note"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class ServiceGiven(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    given_on = models.DateField(_("given on"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    details = EncryptedTextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("service given")
        verbose_name_plural = _("services given")
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"{self.case} · {self.kind}"


class IntakeDraft(TimeStampedModel):
    """What a caseworker has typed into an unfinished intake, encrypted, saved as she types.

    The survivor does not exist yet, so the draft reserves her id: what was typed is sealed
    with the data key of that id, and the intake creates her under it.
    """

    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "survivor_id"

    survivor_id = models.UUIDField(default=uuid.uuid4, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    step = models.PositiveSmallIntegerField(default=1)
    data = EncryptedJSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "organisation"], name="one_draft_per_author")
        ]

    def __str__(self) -> str:
        return f"draft {self.pk}"
