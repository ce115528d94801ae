import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from crisis_ops.core.dates import add_days
from crisis_ops.core.models import TimeStampedModel, UUIDModel
from crisis_ops.encryption.fields import EncryptedTextField


class OrderType(UUIDModel):
    """Reference data, editable as the law changes: legal basis, duration, check interval."""

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(max_length=120)
    name_ru = models.CharField(max_length=120)
    name_kk = models.CharField(max_length=120)
    legal_basis = models.TextField(_("legal basis (English)"))
    legal_basis_ru = models.TextField(_("legal basis (Russian)"), blank=True)
    legal_basis_kk = models.TextField(_("legal basis (Kazakh)"), blank=True)
    min_duration_days = models.PositiveSmallIntegerField(_("shortest duration (days)"), default=1)
    max_duration_days = models.PositiveSmallIntegerField(_("longest duration (days)"))
    check_interval_days = models.PositiveSmallIntegerField(_("police check every (days)"))
    reports_per_month_min = models.PositiveSmallIntegerField(null=True, blank=True)
    reports_per_month_max = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["max_duration_days"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(getattr(self, f"name_{(get_language() or 'ru')[:2]}", "") or self.name_ru)

    @property
    def legal_basis_text(self) -> str:
        language = (get_language() or "ru")[:2]
        if language == "en":
            return self.legal_basis
        return str(getattr(self, f"legal_basis_{language}", "") or self.legal_basis)


class ProtectionOrder(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("order status", "Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Extended by a new order")

    class Decision(models.TextChoices):
        EXTEND = "extend", _("Extension requested")
        COURT = "court", _("Court requirements requested")
        LAPSE = "lapse", _("Let it lapse: no longer needed")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="protection_orders")
    order_type = models.ForeignKey(OrderType, on_delete=models.PROTECT, verbose_name=_("type"))
    number = models.CharField(_("number"), max_length=50)
    issuing_unit = models.CharField(_("issuing police unit"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    conditions = EncryptedTextField(_("conditions"), blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="extension"
    )
    expiry_decision = models.CharField(
        _("decision at expiry"), max_length=10, choices=Decision.choices, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = EncryptedTextField(_("reason for revoking"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.order_type.code} {self.number}"

    def check_due_dates(self) -> list[datetime.date]:
        """Every interval from issue, until expiry: when the police must have checked."""
        step = self.order_type.check_interval_days
        dates, day = [], add_days(self.issued_on, step)
        while day is not None and day <= self.expires_on:
            dates.append(day)
            day = add_days(day, step)
        return dates


class PoliceCheck(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "order__case__survivor_id"

    class Outcome(models.TextChoices):
        COMPLIED = "complied", _("Offender complied")
        VIOLATION = "violation", _("Violation found")
        NOT_FOUND = "not_found", _("Offender not found")
        NOT_DONE = "not_done", _("Check not done")

    order = models.ForeignKey(ProtectionOrder, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(_("checked on"))
    unit_officer = models.CharField(_("police unit / officer"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-checked_on"]

    def __str__(self) -> str:
        return f"{self.order} check {self.checked_on}"


class Violation(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "order__case__survivor_id"

    order = models.ForeignKey(ProtectionOrder, on_delete=models.CASCADE, related_name="violations")
    occurred_on = models.DateField(_("date"))
    description = EncryptedTextField(_("what happened"))
    reported_to_police = models.BooleanField(_("reported to the police"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.order} violation {self.occurred_on}"
