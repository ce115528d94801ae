"""Caps on free text, declared once for the form (maxlength), the serializer
(max_length) and so the schema (maxLength) of every app.

Plain columns take their model field's ``max_length`` (``model_cap``); encrypted text
has no column width, so its cap is one of these constants.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

# A name, a unit, a label typed on one line.
LINE = 200
# An address, a phone-call instruction.
ADDRESS = 500
SAFE_CONTACT = 1_000
# Why a band or a rule was overridden.
REASON = 1_000
# Practical needs, conditions, a police officer's notes.
PARAGRAPH = 2_000
# A narrative, a case note, what happened: about five typed pages.
LONG = 10_000
# An IIN or a phone number as typed, spaces and dashes included.
IDENTIFIER = 32
# A password as typed: longer is no safer, and hashing 100,000 characters is slow.
PASSWORD = 128
# A page to return to after signing in or switching language.
NEXT_URL = 2_000
# Search boxes and filters.
SEARCH = 200


def model_cap(model: type[models.Model], field: str) -> int:
    """The ``max_length`` of a plain model column, for the form and serializer to state."""
    max_length = getattr(model._meta.get_field(field), "max_length", None)
    if max_length is None:
        raise ValueError(f"{model.__name__}.{field} has no max_length; use a text constant")
    return int(max_length)


class SlugLookupField(serializers.SlugRelatedField[Any]):
    """A reference by code to a row of reference data, capped like the code column.

    A longer value cannot name a row; it is refused before the lookup, and the schema
    states the cap like any other text.
    """

    def __init__(self, **kwargs: Any) -> None:
        queryset = kwargs["queryset"]
        self.max_length = model_cap(queryset.model, kwargs["slug_field"])
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and len(data) > self.max_length:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data[:40] + "…")
        return super().to_internal_value(data)


class _SlugLookupSchema(OpenApiSerializerFieldExtension):
    target_class = SlugLookupField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        return {"type": "string", "maxLength": self.target.max_length}
