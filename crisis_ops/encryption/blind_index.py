"""Blind indexes: exact search over encrypted values.

A blind index column holds the first ``bits`` bits of
HMAC-SHA256(per-index key, normalised value). The per-index key is derived
from the active blind-index root key and the index's table and column, so two
indexes of the same phone number do not match across tables.

Why truncate: a full HMAC would show in a stolen dump which rows hold the same
phone number. With ``bits`` bits, many different values share each token, so
equal tokens do not mean equal values. A lookup fetches the rows with the
token (a handful) and keeps those whose decrypted value really matches.
How ``bits`` was chosen is in docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core import checks
from django.db import models

from crisis_ops.encryption.field_base import EncryptedField
from crisis_ops.encryption.keys import Keyring, get_keyring
from crisis_ops.encryption.normalise import NORMALISERS

DEFAULT_BITS = 14

M = TypeVar("M", bound=models.Model)


class BlindIndexField(models.IntegerField[Any, Any]):
    """Integer token of an encrypted source field, kept up to date on save()."""

    def __init__(
        self,
        *args: Any,
        source: str = "",
        normaliser: str = "",
        bits: int = DEFAULT_BITS,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.normaliser = normaliser
        self.bits = bits
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    @property
    def index_name(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def normalise(self, value: Any) -> str:
        return NORMALISERS[self.normaliser](value)

    def tokens(
        self, value: Any, *, keyring: Keyring | None = None, all_keys: bool = True
    ) -> list[int]:
        """Tokens of a value under every blind-index root, so old roots match during rotation."""
        keyring = keyring or get_keyring()
        message = self.normalise(value).encode()
        roots: Iterable[str] = (
            keyring.blind_index_keys if all_keys else [keyring.active_blind_index_key]
        )
        return sorted(
            {
                int.from_bytes(
                    hmac.new(
                        keyring.index_key(root, self.index_name), message, hashlib.sha256
                    ).digest()[:4],
                    "big",
                )
                >> (32 - self.bits)
                for root in roots
            }
        )

    def token_for(self, instance: models.Model, *, keyring: Keyring | None = None) -> int | None:
        value = getattr(instance, self.source)
        if value is None or value == "":
            return None
        try:
            return self.tokens(value, keyring=keyring, all_keys=False)[0]
        except ValueError:
            # The form validates; a value that cannot be normalised is simply not searchable.
            return None

    def pre_save(self, model_instance: models.Model, add: bool) -> int | None:
        token = self.token_for(model_instance)
        setattr(model_instance, self.attname, token)
        return token

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, normaliser=self.normaliser, bits=self.bits)
        for key, default in (("null", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            source = self.model._meta.get_field(self.source)
        except Exception:
            source = None
        if not isinstance(source, EncryptedField):
            errors.append(
                checks.Error(
                    f"source {self.source!r} must be an encrypted field.",
                    obj=self,
                    id="encryption.E002",
                )
            )
        if self.normaliser not in NORMALISERS:
            errors.append(
                checks.Error(
                    f"normaliser must be one of {sorted(NORMALISERS)}.",
                    obj=self,
                    id="encryption.E003",
                )
            )
        if not 8 <= self.bits <= 32:
            errors.append(
                checks.Error("bits must be between 8 and 32.", obj=self, id="encryption.E004")
            )
        return errors


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def blind_search(queryset: models.QuerySet[M], index: str, value: Any) -> list[M]:
    """Rows of ``queryset`` whose encrypted source equals ``value`` once normalised.

    Raises ValueError (with a message for the user) when the value cannot be a
    valid IIN, phone number or name.
    """
    field = queryset.model._meta.get_field(index)
    assert isinstance(field, BlindIndexField)
    wanted = field.normalise(value)
    candidates = queryset.filter(**{f"{index}__in": field.tokens(value)})
    return [
        row for row in candidates if _matches(field.normalise, getattr(row, field.source), wanted)
    ]


def _matches(normalise: Callable[[Any], str], stored: Any, wanted: str) -> bool:
    if stored is None or stored == "":
        return False
    try:
        return normalise(stored) == wanted
    except ValueError:
        return False
