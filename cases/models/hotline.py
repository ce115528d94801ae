from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case
from cases.models.choices import (
    AgeBand,
    Disability,
    GBVIMSClass,
    Relationship,
    Sex,
    Source,
)
from crisis_ops.core.models import TimeStampedModel
from crisis_ops.organisations.models import Organisation, Region

# The lines an anonymous call comes in on: 150 directly, or 102 passing it on.
HOTLINE_SOURCES = (Source.HOTLINE_150, Source.POLICE_102)
HOTLINE_SOURCE_CHOICES = [(s.value, s.label) for s in HOTLINE_SOURCES]


class HotlineCall(TimeStampedModel):
    """An anonymous call (DESIGN.md capability 1): categories only, for the figures.

    No name, no IIN, no caller number and no free text: there is no field that could
    hold one, so nothing typed by mistake can be stored, logged or audited. If she
    comes in later the call is linked to her new case (``case``) and the case is what
    the figures count from then on, so she is counted once.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hotline_calls"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("taken by")
    )
    received_on = models.DateField(_("date of the call"), default=timezone.localdate)
    source = models.CharField(_("line"), max_length=20, choices=HOTLINE_SOURCE_CHOICES)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    disability = models.CharField(_("disability"), max_length=20, choices=Disability.choices)
    violence_types = models.JSONField(_("types of violence"), default=list)
    gbvims_class = models.CharField(_("GBVIMS class"), max_length=30, choices=GBVIMSClass.choices)
    relationship = models.CharField(
        _("relationship to the perpetrator"), max_length=30, choices=Relationship.choices
    )
    # Asked at the end of the call; without it the call is left out of the figures.
    statistics_consent = models.BooleanField(_("may be counted in anonymised statistics"))
    case = models.OneToOneField(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hotline_call",
        verbose_name=_("case opened from this call"),
    )
    converted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("anonymous hotline call")
        verbose_name_plural = _("anonymous hotline calls")
        ordering = ["-received_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "-received_on"])]

    def __str__(self) -> str:
        return f"call {self.pk}"
