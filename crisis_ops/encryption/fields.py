"""The encrypted field types a model declares, and what a list page needs of them.

``EncryptedTextField``, ``EncryptedCharField``, ``EncryptedDateField`` and
``EncryptedJSONField`` say how a value becomes bytes; storing, sealing and opening it is
``crisis_ops.encryption.field_base`` (``EncryptedField``). A model with encrypted fields
inherits ``EncryptedFieldsMixin``, named here because the migrations name it here.
"""

from __future__ import annotations

import datetime
import json
from binascii import a2b_base64
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core import exceptions
from django.db import models

from crisis_ops.encryption import data_keys
from crisis_ops.encryption.data_keys import ENVELOPE_HEADER_BYTES
from crisis_ops.encryption.field_base import (
    EncryptedField,
    EncryptedFieldsMixin,
    encrypted_fields,
)

__all__ = [
    "EncryptedCharField",
    "EncryptedDateField",
    "EncryptedFieldsMixin",
    "EncryptedJSONField",
    "EncryptedTextField",
    "preload_data_keys",
]


class EncryptedTextField(EncryptedField):
    # str.encode and bytes.decode themselves, with no Python frame in between
    # (UTF-8 is their default). A value that is not a str raises TypeError:
    # forms and to_python() hand text fields strings.
    to_bytes = staticmethod(str.encode)  # type: ignore[assignment]
    from_bytes = staticmethod(bytes.decode)  # type: ignore[assignment]

    def to_python(self, value: Any) -> Any:
        return value if value is None else str(value)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
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

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
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
        day: datetime.date
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            day = datetime.date.fromisoformat(str(value))
        return day.isoformat().encode()

    def from_bytes(self, data: bytes) -> datetime.date:
        return datetime.date.fromisoformat(data.decode())

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise exceptions.ValidationError("Enter a valid date.", code="invalid") from exc

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return forms.DateField(required=not self.blank, label=self.verbose_name, **kwargs)


class EncryptedJSONField(EncryptedField):
    """Small JSON documents (lists of answers, contact instructions)."""

    empty_strings_allowed = False

    def to_bytes(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    def from_bytes(self, data: bytes) -> Any:
        return json.loads(data)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return forms.JSONField(required=not self.blank, label=self.verbose_name, **kwargs)


def preload_data_keys(objects: Iterable[models.Model]) -> None:
    """Fetch, in one key-store query, the survivors' keys these rows' values need and the
    cache lacks. A list page calls it with its page of rows: a cold cache then costs one
    query, not one per survivor on the page."""
    headers: set[bytes] = set()
    for obj in objects:
        for field in encrypted_fields(type(obj)):
            raw = obj.__dict__.get(field.attname)
            if raw is None:
                continue
            # The header only: 17 bytes are the first 24 base64 characters.
            head = a2b_base64(raw[:24]) if isinstance(raw, str) else bytes(raw[:17])
            if head[:1] == b"\x02":
                headers.add(head[:ENVELOPE_HEADER_BYTES])
    if headers:
        data_keys.preload(headers)
