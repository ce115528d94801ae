from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.choices import AgeBand, Disability, Sex
from crisis_ops.core.models import TimeStampedModel
from crisis_ops.encryption.blind_index import BlindIndexField, BlindWordIndexField
from crisis_ops.encryption.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField
from crisis_ops.organisations.models import Organisation, Region


class Survivor(TimeStampedModel):
    """A person the center helps. Identity and contact are encrypted; the
    categories beside them are plain, for statistics that need no key."""

    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "id"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="survivors"
    )
    # Non-identifying: used wherever the full identity is not needed (shelters, reports).
    code = models.CharField(_("survivor code"), max_length=20, unique=True)

    full_name = EncryptedCharField(_("full name"), max_length=200)
    iin = EncryptedCharField(_("IIN"), max_length=12, null=True, blank=True)
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=32, null=True, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    safe_contact = EncryptedTextField(_("safe-contact instructions"), blank=True)

    # Searched within an organisation: the composite indexes below serve them.
    name_index = BlindIndexField(source="full_name", normaliser="name", db_index=False)
    iin_index = BlindIndexField(source="iin", normaliser="iin", db_index=False)
    phone_index = BlindIndexField(source="phone", normaliser="phone", db_index=False)
    # Any one word of her name (surname, first name, patronymic), exactly: GIN-indexed.
    name_words = BlindWordIndexField(source="full_name")

    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.FEMALE)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    disability = models.CharField(
        _("disability"), max_length=20, choices=Disability.choices, default=Disability.NONE
    )

    class Meta:
        verbose_name = _("survivor")
        verbose_name_plural = _("survivors")
        indexes = [
            models.Index(fields=["organisation", "phone_index"]),
            models.Index(fields=["organisation", "iin_index"]),
            models.Index(fields=["organisation", "name_index"]),
            GinIndex(fields=["name_words"], name="cases_survivor_name_words"),
        ]

    def __str__(self) -> str:
        return self.code
