"""Models used only by the encryption tests and benchmark.

``Person`` has the encrypted fields a survivor will have; ``PlainPerson`` is
the same shape without encryption, the benchmark's baseline. ``PlainSurvivor``
and ``PlainCase`` mirror ``cases.Survivor`` and ``cases.Case`` for the case-list
benchmark.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Case
from cases.models.choices import AgeBand, Disability, RiskBand, Sex, Source
from crisis_ops.encryption.blind_index import BlindIndexField
from crisis_ops.encryption.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedFieldsMixin,
    EncryptedJSONField,
    EncryptedTextField,
)


class Person(EncryptedFieldsMixin, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = EncryptedCharField(max_length=200)
    iin = EncryptedCharField(max_length=12, null=True, blank=True)
    phone = EncryptedCharField(max_length=32, null=True, blank=True)
    birth_date = EncryptedDateField(null=True, blank=True)
    address = EncryptedTextField(blank=True)
    safe_contact = EncryptedJSONField(null=True, blank=True)
    region = models.CharField(max_length=40, default="almaty-city")
    name_index = BlindIndexField(source="full_name", normaliser="name")
    iin_index = BlindIndexField(source="iin", normaliser="iin")
    phone_index = BlindIndexField(source="phone", normaliser="phone")

    def __str__(self) -> str:
        return f"person {self.pk}"


class PlainPerson(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = models.CharField(max_length=200)
    iin = models.CharField(max_length=12, null=True, blank=True)
    phone = models.CharField(max_length=32, null=True, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    safe_contact = models.JSONField(null=True, blank=True)
    region = models.CharField(max_length=40, default="almaty-city")

    def __str__(self) -> str:
        return f"plain person {self.pk}"


class _BenchFields(EncryptedFieldsMixin, models.Model):
    """The five encrypted fields the benchmarks measure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = EncryptedCharField(max_length=200)
    iin = EncryptedCharField(max_length=12, null=True)
    phone = EncryptedCharField(max_length=32, null=True)
    birth_date = EncryptedDateField(null=True)
    address = EncryptedTextField(blank=True)

    class Meta:
        abstract = True


class BenchEncrypted(_BenchFields):
    """The subject of the load benchmark."""

    def __str__(self) -> str:
        return f"bench {self.pk}"


class BenchEnvelope(_BenchFields):
    """The same five fields, each row's values sealed with its survivor's own data key
    (``survivor_id`` stands for the survivor: 200 of them share 10,000 rows)."""

    data_key_owner = "survivor_id"

    survivor_id = models.UUIDField()

    def __str__(self) -> str:
        return f"envelope bench {self.pk}"


class BenchPlain(models.Model):
    """The same five fields in plain columns: the benchmark's baseline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = models.CharField(max_length=200)
    iin = models.CharField(max_length=12, null=True)
    phone = models.CharField(max_length=32, null=True)
    birth_date = models.DateField(null=True)
    address = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"plain bench {self.pk}"


class BenchSearch(_BenchFields):
    """A million of these for the blind-index lookup benchmark, apart from the load tables."""

    iin_index = BlindIndexField(source="iin", normaliser="iin")

    def __str__(self) -> str:
        return f"search bench {self.pk}"


# --- Plain twins of cases.Survivor and cases.Case, the case-list benchmark's baseline ---------
# Same columns, same ids and values as the seeded encrypted rows; plain indexes where the
# real models keep blind indexes. Reverse accessors are off: they exist only to be listed.


class PlainSurvivor(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(max_length=20, unique=True)
    full_name = models.CharField(max_length=200)
    iin = models.CharField(max_length=12, null=True, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=32, null=True, blank=True)
    address = models.TextField(blank=True)
    safe_contact = models.TextField(blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.FEMALE)
    region = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="+")
    disability = models.CharField(
        max_length=20, choices=Disability.choices, default=Disability.NONE
    )

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "phone"]),
            models.Index(fields=["organisation", "iin"]),
            models.Index(fields=["organisation", "full_name"]),
        ]

    def __str__(self) -> str:
        return self.code


class PlainCase(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    survivor = models.ForeignKey(PlainSurvivor, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=24, unique=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Case.Status.choices, default=Case.Status.OPEN)
    closed_reason = models.CharField(max_length=20, choices=Case.ClosedReason.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    opened_on = models.DateField(default=timezone.localdate)
    never_disclose_location = models.BooleanField(default=False)
    no_contact_by_phone = models.BooleanField(default=False)
    is_restricted = models.BooleanField(default=False)
    risk_band = models.CharField(max_length=10, choices=RiskBand.choices, blank=True, db_index=True)

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "-opened_on"]),
            models.Index(fields=["assigned_to", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference
