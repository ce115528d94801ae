"""Helpers for a clear OpenAPI schema, shared by every app's serializers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def named_choice_field(
    choices: type[models.TextChoices], component: str
) -> Callable[..., serializers.ChoiceField]:
    """A ChoiceField whose enum is a named schema component: several models have a
    "kind", a "status" and an "outcome", and named components keep their enums apart."""

    @extend_schema_field({"type": "string", "enum": choices.values}, component_name=component)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    NamedChoiceField.__name__ = f"{component}Field"
    return NamedChoiceField
