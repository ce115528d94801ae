from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case
from cases.models.choices import GBVIMSClass, Relationship, ViolenceType
from crisis_ops.core.models import TimeStampedModel
from crisis_ops.encryption.fields import EncryptedCharField, EncryptedTextField


class Incident(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_on = models.DateField(_("date of the incident"))
    # A list of ViolenceType values; JSON so it works on SQLite (make run) too.
    violence_types = models.JSONField(_("types of violence"), default=list)
    gbvims_class = models.CharField(_("GBVIMS class"), max_length=30, choices=GBVIMSClass.choices)
    relationship = models.CharField(
        _("relationship to the perpetrator"), max_length=30, choices=Relationship.choices
    )
    children_present = models.BooleanField(_("children were present"), default=False)
    injuries = models.BooleanField(_("injuries"), default=False)
    reported_to_police = models.BooleanField(_("reported to the police"), default=False)
    forensic_exam_needed = models.BooleanField(_("forensic examination needed"), default=False)
    forensic_exam_done = models.BooleanField(_("forensic examination done"), default=False)
    narrative = EncryptedTextField(_("what happened"), blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on"]
        indexes = [
            # Reports: a period's incidents and their cases, read from the index alone
            # (the month-by-region report at a million incidents).
            models.Index(fields=["occurred_on", "case"], name="incident_day_case"),
            # Which cases had an incident in a period (those left out for want of
            # consent), and a survivor's earlier incidents (repeat within 12 months).
            models.Index(fields=["case", "occurred_on"], name="incident_case_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.occurred_on}"

    @property
    def violence_type_labels(self) -> list[str]:
        labels = dict(ViolenceType.choices)
        return [str(labels.get(value, value)) for value in self.violence_types]


class Perpetrator(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    full_name = EncryptedCharField(_("full name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=30, choices=Relationship.choices)
    details = EncryptedTextField(_("details (address, workplace, weapons)"), blank=True)

    class Meta:
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")

    def __str__(self) -> str:
        return f"perpetrator {self.pk}"


class Child(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    first_name = EncryptedCharField(_("first name"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return f"child {self.pk}"
