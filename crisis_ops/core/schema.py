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


_IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "8 to 64 letters, digits, hyphens or underscores, new for each intended "
    "change. A repeat with the same key (a retry after a lost answer) does the work only once "
    "and gets the first answer again, marked `Idempotent-Replayed: true`; while the first is "
    "still running the repeat waits for it. The key is kept for 24 hours. Reusing a key for "
    "another request is 422.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
}


def add_idempotency_key_header(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Every operation that changes something takes the Idempotency-Key header
    (crisis_ops.core.idempotency), so the schema says so on each of them."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                operation.setdefault("parameters", []).append(_IDEMPOTENCY_KEY_PARAMETER)
    return result
