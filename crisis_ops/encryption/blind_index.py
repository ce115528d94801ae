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

from django.contrib.postgres.fields import ArrayField
from django.core import checks
from django.db import models

from crisis_ops.encryption.field_base import EncryptedField
from crisis_ops.encryption.keys import Keyring, get_keyring
from crisis_ops.encryption.normalise import NORMALISERS, name_words

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
        return _tokens(self, self.normalise(value), keyring=keyring, all_keys=all_keys)

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


def _tokens(
    index: BlindIndexField | BlindWordIndexField,
    normalised: str,
    *,
    keyring: Keyring | None,
    all_keys: bool,
) -> list[int]:
    keyring = keyring or get_keyring()
    message = normalised.encode()
    roots: Iterable[str] = (
        keyring.blind_index_keys if all_keys else [keyring.active_blind_index_key]
    )
    return sorted(
        {
            int.from_bytes(
                hmac.new(
                    keyring.index_key(root, index.index_name), message, hashlib.sha256
                ).digest()[:4],
                "big",
            )
            >> (32 - index.bits)
            for root in roots
        }
    )


class BlindWordIndexField(ArrayField[Any, Any]):
    """A token for each word of an encrypted name, so any one word finds her.

    Each word is normalised as a whole name is (case, spaces, Kazakh letters folded) and
    indexed as the name index is (truncated HMAC under a key of this column's own), so a
    word still matches only exactly: "Сейт" finds nobody called "Сейтқали". Searched with
    ``__overlap`` under a GIN index; kept up to date on save().
    """

    def __init__(
        self, *args: Any, source: str = "", bits: int = DEFAULT_BITS, **kwargs: Any
    ) -> None:
        self.source = source
        self.bits = bits
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("base_field", models.IntegerField())
        super().__init__(*args, **kwargs)

    @property
    def index_name(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def words(self, value: Any) -> list[str]:
        """The normalised words of a name; ValueError (for the user) when there are none."""
        return name_words(value)

    def word_tokens(
        self, word: str, *, keyring: Keyring | None = None, all_keys: bool = True
    ) -> list[int]:
        """Tokens of one normalised word under every blind-index root (rotation)."""
        return _tokens(self, word, keyring=keyring, all_keys=all_keys)

    def token_for(
        self, instance: models.Model, *, keyring: Keyring | None = None
    ) -> list[int] | None:
        value = getattr(instance, self.source)
        if value is None or value == "":
            return None
        try:
            words = self.words(value)
        except ValueError:
            return None
        keyring = keyring or get_keyring()
        tokens = {t for w in words for t in self.word_tokens(w, keyring=keyring, all_keys=False)}
        return sorted(tokens)

    def pre_save(self, model_instance: models.Model, add: bool) -> list[int] | None:
        tokens = self.token_for(model_instance)
        setattr(model_instance, self.attname, tokens)
        return tokens

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, bits=self.bits)
        kwargs.pop("base_field", None)
        for key, default in (("null", True), ("editable", False)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs


AnyBlindIndex = BlindIndexField | BlindWordIndexField


def blind_index_fields(model: type[models.Model]) -> list[AnyBlindIndex]:
    """Every blind index of a model, whole-value and per-word: rotation rebuilds them and
    verification recomputes them alike (both have ``token_for``)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, BlindIndexField | BlindWordIndexField)
    ]


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
