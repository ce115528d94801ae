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

        def to_representation(self, value: Any) -> Any:
            # Not chosen yet is null where the field allows it: "" is no member of the enum.
            if value in ("", None) and self.allow_null:
                return None
            return super().to_representation(value)

    NamedChoiceField.__name__ = f"{component}Field"
    return NamedChoiceField


ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every 4xx answer: a message, and the problems field by field.",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "errors"],
}
_UNSAFE = {"post", "put", "patch", "delete"}
_REASONS = {
    "400": "The request has errors (body, query or path); nothing was saved.",
    "401": "Not signed in: no valid token or session.",
    "403": "Signed in, but the role (or a missing second factor) does not allow this.",
    "404": "No such object within the caller's scope; it is never said whether it exists.",
    "406": "The API answers JSON only.",
    "409": "The change lost a race or conflicts with the object's state (a bed just taken).",
    "415": "The API reads JSON bodies only.",
    "422": "The Idempotency-Key was already used for another request.",
    "429": "Too many requests or sign-in attempts; try again later.",
}


def _statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["401", "403", "406", "429"]
    if "{" in path or "requestBody" in operation:
        statuses.append("404")  # a path id, or an id in the body, outside the caller's scope
    if method in _UNSAFE or operation.get("parameters"):
        statuses.append("400")
    if method in _UNSAFE:
        statuses += ["409", "415", "422"]
    return sorted(set(statuses))


def document_error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every status the API can answer, documented
    once for every operation, all with the one error format of ``crisis_ops.core.api``.

    An operation's own ``responses`` (a 409 with a special meaning, say) win.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = ERROR_SCHEMA
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, method, operation):
                responses.setdefault(
                    status,
                    {
                        "description": _REASONS[status],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return result


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
