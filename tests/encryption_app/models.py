"""Models used only by the encryption tests and benchmark.

``Person`` has the encrypted fields a survivor will have; ``PlainPerson`` is
the same shape without encryption, the benchmark's baseline.
"""

import uuid

from django.db import models

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
