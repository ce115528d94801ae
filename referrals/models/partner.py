"""The partner directory, in the Open Referral HSDS vocabulary where it has a word."""

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models.choices import ConsentScope
from crisis_ops.core.models import TimeStampedModel, UUIDModel
from crisis_ops.organisations.models import Organisation, Region
from referrals.choices import Language, PartnerStatus


class PartnerKind(UUIDModel):
    """Reference data: which consent a referral to this kind needs, what it offers, and
    how soon it is expected to answer. Editable as agreements with partners change."""

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(max_length=120)
    name_ru = models.CharField(max_length=120)
    name_kk = models.CharField(max_length=120)
    consent_scope = models.CharField(
        _("consent it needs"), max_length=30, choices=ConsentScope.choices
    )
    # Service values (referrals.choices.Service) a referral to this kind may ask for.
    services = models.JSONField(_("services"), default=list)
    answer_hours = models.PositiveSmallIntegerField(
        _("answer expected within (hours)"), validators=[MinValueValidator(1)]
    )
    # A crisis center of the network: its partners are linked to an Organisation.
    is_network_center = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("partner kind")
        verbose_name_plural = _("partner kinds")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(getattr(self, f"name_{(get_language() or 'ru')[:2]}", "") or self.name_ru)


class Partner(TimeStampedModel):
    """HSDS organization + service + location in one row: what a caseworker needs.

    ``organisation`` empty: the network's common list; set: that organisation's own.
    ``location_confidential`` (HSDS has no such flag): the address is shown only
    inside the organisation that keeps the partner or that the partner is.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("kept by"),
    )
    linked_organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="as_partner",
        verbose_name=_("crisis center of the network"),
    )
    kind = models.ForeignKey(PartnerKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    city = models.CharField(_("city"), max_length=100, blank=True)  # HSDS address.city
    address_1 = models.CharField(_("address"), max_length=200, blank=True)
    location_confidential = models.BooleanField(_("confidential location"), default=False)
    phone = models.CharField(_("phone"), max_length=64, blank=True)  # HSDS phone.number
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("working hours"), max_length=200, blank=True)  # schedule
    languages = models.JSONField(_("languages"), default=list)  # HSDS language codes
    letter_language = models.CharField(
        _("language of letters"), max_length=2, choices=Language.choices, default=Language.RU
    )
    services = models.JSONField(_("services offered"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=PartnerStatus.choices, default=PartnerStatus.ACTIVE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            models.Index(fields=["kind", "region"]),
            models.Index(fields=["organisation", "name"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "region"], name="partner_name_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    @property
    def owner_ids(self) -> set[uuid.UUID]:
        """Organisations that may see a confidential location."""
        return {i for i in (self.organisation_id, self.linked_organisation_id) if i is not None}
