"""Encrypted model fields.

A column holds ``Ciphertext`` bytes. Values are decrypted lazily, on first
attribute access, because decryption needs the row id and ``from_db_value``
does not see the row. They are encrypted in ``pre_save``, which does.

Rules that keep plaintext out of the database:
- the column accepts only ``Ciphertext`` (a bulk ``update()`` with plain values raises);
- no lookup but ``isnull`` exists (search goes through a blind index);
- a value that does not decrypt raises ``DecryptionError`` naming table, column and row.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from django import forms
from django.core import checks, exceptions
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from crisis_ops.encryption.cipher import (
    Ciphertext,
    DecryptionError,
    EncryptionError,
    decrypt,
    encrypt,
    location_of,
)


class EncryptedAttribute(DeferredAttribute):
    """Decrypts the stored ciphertext on first access and keeps the plaintext.

    A data descriptor (it has ``__set__``), so reads always pass through here
    rather than going straight to the instance dict.
    """

    field: EncryptedField

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: models.Model | None, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            value = self.field.decrypt_value(instance, value)
            instance.__dict__[self.field.attname] = value
        return value


class EncryptedField(models.BinaryField):
    """Base of the encrypted fields; subclasses say how a value becomes bytes."""

    descriptor_class = EncryptedAttribute
    empty_values = [None]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)
        self._location: bytes | None = None

    # --- conversions a subclass provides ------------------------------------------------

    def to_bytes(self, value: Any) -> bytes:
        raise NotImplementedError

    def from_bytes(self, data: bytes) -> Any:
        raise NotImplementedError

    # --- the encryption itself ----------------------------------------------------------

    @property
    def location(self) -> bytes:
        if self._location is None:
            self._location = location_of(self.model._meta.db_table, self.column)
        return self._location

    def describe(self, instance: models.Model) -> str:
        return f"{self.model._meta.db_table}.{self.column} row {instance.pk}"

    def _row_id(self, instance: models.Model) -> uuid.UUID:
        row_id = instance.pk
        if not isinstance(row_id, uuid.UUID):
            raise EncryptionError(f"{self.describe(instance)}: the primary key must be a UUID")
        return row_id

    def encrypt_value(self, instance: models.Model, value: Any) -> Ciphertext:
        return encrypt(self.to_bytes(value), location=self.location, row_id=self._row_id(instance))

    def decrypt_value(self, instance: models.Model, blob: bytes) -> Any:
        try:
            data = decrypt(blob, location=self.location, row_id=self._row_id(instance))
        except DecryptionError as exc:
            raise DecryptionError(f"Cannot decrypt {self.describe(instance)}: {exc}") from None
        return self.from_bytes(data)

    # --- Django plumbing ----------------------------------------------------------------

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Ciphertext | None:
        if value is None:
            return None
        return Ciphertext(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Ciphertext | None:
        raw = model_instance.__dict__.get(self.attname)
        if raw is None or isinstance(raw, Ciphertext):
            # Never read since loading: the stored ciphertext is still right for this row.
            return raw
        return self.encrypt_value(model_instance, raw)

    def get_default(self) -> Any:
        # BinaryField's default is b""; a missing value here is None or the empty plaintext.
        return models.Field.get_default(self)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return self.get_db_prep_value(value, connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if not isinstance(value, Ciphertext):
            raise EncryptionError(
                f"Refusing to write a plain value to encrypted column "
                f"{self.model._meta.db_table}.{self.column}; assign it and call save()."
            )
        return connection.Database.Binary(bytes(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise exceptions.FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be searched with "
                f"'{lookup_name}'; search its blind index instead."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else str(value)

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        pk = self.model._meta.pk
        if not isinstance(pk, models.UUIDField) or pk.default is models.NOT_PROVIDED:
            errors.append(
                checks.Error(
                    "A model with encrypted fields needs an application-generated UUID primary "
                    "key; ciphertexts are bound to it.",
                    obj=self,
                    id="encryption.E001",
                )
            )
        return errors

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs


class EncryptedTextField(EncryptedField):
    def to_bytes(self, value: Any) -> bytes:
        return str(value).encode()

    def from_bytes(self, data: bytes) -> str:
        return data.decode()

    def to_python(self, value: Any) -> Any:
        return value if value is None else str(value)

    def formfield(self, **kwargs: Any) -> Any:
        return forms.CharField(
            widget=forms.Textarea, required=not self.blank, label=self.verbose_name, **kwargs
        )


class EncryptedCharField(EncryptedTextField):
    """Short text; ``max_length`` counts characters of the plaintext."""

    def __init__(self, *args: Any, max_length: int = 255, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.validators.append(_MaxLength(max_length))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        return forms.CharField(
            max_length=self.max_length, required=not self.blank, label=self.verbose_name, **kwargs
        )


class _MaxLength:
    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: Any) -> None:
        if value is not None and len(str(value)) > self.limit:
            raise exceptions.ValidationError(
                "Ensure this value has at most %(limit)d characters.",
                code="max_length",
                params={"limit": self.limit},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _MaxLength) and other.limit == self.limit

    def deconstruct(self) -> tuple[str, tuple[int], dict[str, Any]]:
        return ("crisis_ops.encryption.fields._MaxLength", (self.limit,), {})


class EncryptedDateField(EncryptedField):
    empty_strings_allowed = False

    def to_bytes(self, value: Any) -> bytes:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            value = datetime.date.fromisoformat(str(value))
        return value.isoformat().encode()

    def from_bytes(self, data: bytes) -> datetime.date:
        return datetime.date.fromisoformat(data.decode())

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise exceptions.ValidationError("Enter a valid date.", code="invalid") from exc

    def formfield(self, **kwargs: Any) -> Any:
        return forms.DateField(required=not self.blank, label=self.verbose_name, **kwargs)


class EncryptedJSONField(EncryptedField):
    """Small JSON documents (lists of answers, contact instructions)."""

    empty_strings_allowed = False

    def to_bytes(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    def from_bytes(self, data: bytes) -> Any:
        return json.loads(data)

    def formfield(self, **kwargs: Any) -> Any:
        return forms.JSONField(required=not self.blank, label=self.verbose_name, **kwargs)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
