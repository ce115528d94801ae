"""The encrypted field's machinery: how a value is stored, sealed, loaded and opened.

A column holds ``Ciphertext`` bytes. Values are decrypted lazily, on first
attribute access, because decryption needs the row id and ``from_db_value``
does not see the row. They are encrypted in ``pre_save``, which does.

Loading is kept as cheap as for plain columns. The column is selected as
base64 text (psycopg2's own bytea conversion costs more than the rest of the
row). The field's attname is ``<name>_ciphertext``, so Django puts the stored
value there while loading a row, with no extra work, and the plaintext lives
under ``<name>``, decrypted by a descriptor on first read. A row whose
encrypted fields are never read never pays for decryption.

Rules that keep plaintext out of the database:
- the column accepts only ``Ciphertext`` (``update()``/``bulk_update()`` with plain values raise);
- no lookup but ``isnull`` exists (search goes through a blind index);
- a value that does not decrypt raises ``DecryptionError`` naming table, column and row.

The field types a model declares are in ``crisis_ops.encryption.fields``.
"""

from __future__ import annotations

import uuid
from binascii import a2b_base64
from collections.abc import Collection
from typing import Any, cast

from django.core import checks, exceptions
from django.db import models

from crisis_ops.encryption.cipher import (
    Ciphertext,
    DecryptionError,
    EncryptionError,
    decrypt,
    encrypt,
    encrypt_for_survivor,
    location_of,
)

# A model whose values belong to a survivor names the way from a row to her id, as a
# lookup path: "id" on Survivor, "survivor_id" on Case, "case__survivor_id" on a note.
OWNER_ATTRIBUTE = "data_key_owner"
# Set on an instance (by rotation's queries) to give her id without following the path.
OWNER_ANNOTATION = "_data_key_owner"

_STORED_SUFFIX = "_ciphertext"


def _stored_bytes(raw: str | bytes | memoryview) -> bytes:
    """The stored value as selected: base64 text from PostgreSQL, bytes elsewhere."""
    if isinstance(raw, str):
        return a2b_base64(raw)
    return bytes(raw)


class EncryptedFieldsMixin:
    """Model mixin for encrypted fields: validation and refresh see plaintext.

    An encrypted field keeps two attributes on an instance: the stored value
    under ``<name>_ciphertext`` (its attname, filled by Django when a row is
    loaded, at no extra cost) and the plaintext under ``<name>``, decrypted on
    first read. Django's clean_fields() and refresh_from_db() work on attnames,
    so they are taught about the plaintext here.
    """

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        exclude = set(exclude or ())
        encrypted = [f for f in encrypted_fields(type(self)) if f.name not in exclude]  # type: ignore[arg-type]
        errors: dict[str, list[Any]] = {}
        try:
            super().clean_fields(exclude=exclude | {f.name for f in encrypted})  # type: ignore[misc]
        except exceptions.ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in encrypted:
            value = getattr(self, field.name)
            if field.blank and value in field.empty_values:
                continue
            try:
                setattr(self, field.name, field.clean(value, self))  # type: ignore[arg-type]
            except exceptions.ValidationError as exc:
                errors[field.name] = exc.error_list
        if errors:
            raise exceptions.ValidationError(errors)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)  # type: ignore[misc]
        fields = kwargs.get("fields")
        names = {f.name for f in encrypted_fields(type(self))}  # type: ignore[arg-type]
        if fields is not None:
            names = {n for n in names if n in fields or n + _STORED_SUFFIX in fields}
        for name in names:
            # The stored value was reloaded; forget the plaintext decrypted from the old one.
            self.__dict__.pop(name, None)


class EncryptedAttribute:
    """At the field's name: the plaintext, decrypted from the stored value on first read.

    A non-data descriptor: once read or assigned, the plaintext sits in the
    instance dict and Python returns it without calling this again.
    """

    def __init__(self, field: EncryptedField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, cls: Any = None) -> Any:
        if instance is None:
            return self
        field = self.field
        # getattr, not the dict: a deferred stored value is loaded by Django here.
        raw = getattr(instance, field.attname)
        if raw is None:
            value = None
        elif instance._state.adding:
            value = raw  # an unsaved instance holds the field's default, in plaintext
        else:
            value = field.decrypt_value(instance, raw)
        instance.__dict__[field.name] = value
        return value


class EncryptedField(models.BinaryField[Any, Any]):
    """Base of the encrypted fields; subclasses say how a value becomes bytes."""

    empty_values = [None]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)
        self.location = b""
        self._binding_cache = ""
        self._pk_attname = ""
        self._owner_path: tuple[str, ...] | None = None

    # --- conversions a subclass provides ------------------------------------------------

    def to_bytes(self, value: Any) -> bytes:
        raise NotImplementedError

    def from_bytes(self, data: bytes) -> Any:
        raise NotImplementedError

    # --- the encryption itself ----------------------------------------------------------

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.name, EncryptedAttribute(self))
        # Computed once per field: it is part of every encryption and decryption.
        self.location = location_of(cls._meta.db_table, self.column)
        self._binding_cache = f"_encryption_binding_{self.attname}"

    def get_attname(self) -> str:
        return self.name + _STORED_SUFFIX

    def get_attname_column(self) -> tuple[str, str]:
        # The column keeps the field's name; only the instance attribute differs.
        return self.get_attname(), self.db_column or self.name

    def value_from_object(self, obj: models.Model) -> Any:
        return getattr(obj, self.name)

    def save_form_data(self, instance: models.Model, data: Any) -> None:
        setattr(instance, self.name, data)

    def describe(self, instance: models.Model) -> str:
        return f"{self.model._meta.db_table}.{self.column} row {instance.pk}"

    def _binding(self, instance: models.Model) -> bytes:
        """Table, column and row id: what a ciphertext is bound to.

        Remembered on the instance for its current key, since a page reads
        several fields of one row and UUID.bytes is not free.
        """
        row_id = instance.pk
        cached = instance.__dict__.get(self._binding_cache)
        if cached is not None and cached[0] is row_id:
            return cast(bytes, cached[1])
        if row_id.__class__ is not uuid.UUID:
            raise EncryptionError(f"{self.describe(instance)}: the primary key must be a UUID")
        binding: bytes = self.location + row_id.bytes
        instance.__dict__[self._binding_cache] = (row_id, binding)
        # The key's attribute name, so the fast paths read the key from the instance
        # dict instead of through the Model.pk property.
        self._pk_attname = instance._meta.pk.attname
        return binding

    # The two methods below are the hot path of every page that shows a case;
    # they check the binding cache inline rather than through _binding().

    @property
    def owner_path(self) -> tuple[str, ...]:
        """The attributes from a row to its survivor's id; empty if no survivor owns it."""
        if self._owner_path is None:
            path = getattr(self.model, OWNER_ATTRIBUTE, "") or ""
            self._owner_path = tuple(path.split("__")) if path else ()
        return self._owner_path

    def owner_of(self, instance: models.Model) -> Any:
        """The id of the survivor this row's values belong to, or None for a model no
        survivor owns (they stay under the keyring's key)."""
        path = self._owner_path if self._owner_path is not None else self.owner_path
        if not path:
            return None
        owner = instance.__dict__.get(OWNER_ANNOTATION)
        if owner is not None:
            return owner
        owner = instance
        for name in path:
            owner = getattr(owner, name)
            if owner is None:
                raise EncryptionError(
                    f"{self.describe(instance)}: no survivor to take the data key from "
                    f"({OWNER_ATTRIBUTE} {'__'.join(path)!r} is empty)"
                )
        return owner

    def encrypt_value(self, instance: models.Model, value: Any) -> Ciphertext:
        data = instance.__dict__
        cached = data.get(self._binding_cache)
        if cached is None or cached[0] is not data.get(self._pk_attname):
            binding = self._binding(instance)
        else:
            binding = cached[1]
        path = self._owner_path if self._owner_path is not None else self.owner_path
        if path:
            return encrypt_for_survivor(self.to_bytes(value), binding, self.owner_of(instance))
        return encrypt(self.to_bytes(value), binding)

    def decrypt_value(self, instance: models.Model, blob: str | bytes | memoryview) -> Any:
        if blob.__class__ is not bytes and blob.__class__ is not Ciphertext:
            blob = _stored_bytes(blob)
        data = instance.__dict__
        cached = data.get(self._binding_cache)
        binding = (
            cached[1]
            if cached is not None and cached[0] is data.get(self._pk_attname)
            else self._binding(instance)
        )
        try:
            plaintext = decrypt(blob, binding)  # type: ignore[arg-type]
        except DecryptionError as exc:
            raise DecryptionError(f"Cannot decrypt {self.describe(instance)}: {exc}") from None
        return self.from_bytes(plaintext)

    def select_format(self, compiler: Any, sql: str, params: Any) -> tuple[str, Any]:
        # psycopg2 turns bytea into memoryview slowly; base64 text arrives faster and
        # smaller. Other databases (SQLite for make run) hand back bytes cheaply.
        if compiler.connection.vendor == "postgresql":
            return f"encode({sql}, 'base64')", params
        return sql, params

    def pre_save(self, model_instance: models.Model, add: bool) -> Ciphertext | None:
        data = model_instance.__dict__
        if self.name in data:
            value = data[self.name]  # read or assigned: encrypt what is there now
        elif not model_instance._state.adding:
            return self.stored_ciphertext(model_instance)  # never read: still right
        else:
            value = data.get(self.attname)  # unsaved and never set: the default
        if value is None:
            return None
        return self.encrypt_value(model_instance, value)

    def stored_ciphertext(self, instance: models.Model) -> Ciphertext | None:
        """The value as stored when the row was loaded."""
        if instance._state.adding:
            return None
        raw = instance.__dict__.get(self.attname)
        return None if raw is None else Ciphertext(_stored_bytes(raw))

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
        if not issubclass(self.model, EncryptedFieldsMixin):
            errors.append(
                checks.Error(
                    "A model with encrypted fields must inherit EncryptedFieldsMixin "
                    "(crisis_ops.core.models.UUIDModel does).",
                    obj=self,
                    id="encryption.E005",
                )
            )
        return errors

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
