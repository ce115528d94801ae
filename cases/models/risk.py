from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case
from cases.models.choices import RiskBand
from crisis_ops.core.models import TimeStampedModel, UUIDModel
from crisis_ops.encryption.fields import EncryptedJSONField, EncryptedTextField


class RiskInstrument(UUIDModel):
    """A checklist and its version, as data: questions and band thresholds can change."""

    code = models.SlugField(max_length=40)
    version = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    # Lowest score of each band, e.g. {"standard": 0, "medium": 10, "high": 14}.
    band_thresholds = models.JSONField()
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def band_for(self, score: int) -> str:
        ordered = sorted(self.band_thresholds.items(), key=lambda item: item[1])
        band: str = ordered[0][0]
        for name, lowest in ordered:
            if score >= lowest:
                band = name
        return band


class RiskQuestion(UUIDModel):
    instrument = models.ForeignKey(
        RiskInstrument, on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField()
    text_en = models.TextField()
    text_ru = models.TextField()
    text_kk = models.TextField()
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="one_question_number")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} #{self.number}"

    @property
    def text(self) -> str:
        return str(getattr(self, f"text_{(get_language() or 'ru')[:2]}", "") or self.text_en)


class RiskAssessment(TimeStampedModel):
    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    instrument = models.ForeignKey(RiskInstrument, on_delete=models.PROTECT)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    score = models.PositiveSmallIntegerField(_("score"))
    band = models.CharField(_("band from the score"), max_length=10, choices=RiskBand.choices)
    override_band = models.CharField(
        _("band set by the caseworker"), max_length=10, choices=RiskBand.choices, blank=True
    )
    override_reason = EncryptedTextField(_("reason for the override"), blank=True)
    # Question number -> yes/no. Encrypted: answers such as "pregnant" or
    # "suicidal thoughts" are as sensitive as the narrative.
    answers = EncryptedJSONField(_("answers"), default=dict)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case} · {self.final_band}"

    @property
    def final_band(self) -> str:
        return self.override_band or self.band
