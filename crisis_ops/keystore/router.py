"""Keeps the key store's models in the ``keystore`` database and everything else out of it."""

from typing import Any

KEYSTORE_APP = "keystore"
KEYSTORE_DB = "keystore"


class KeystoreRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return KEYSTORE_DB if model._meta.app_label == KEYSTORE_APP else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return KEYSTORE_DB if model._meta.app_label == KEYSTORE_APP else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # A key row never points at a main-database row: the survivor id is a plain UUID.
        if KEYSTORE_APP in (obj1._meta.app_label, obj2._meta.app_label):
            return bool(obj1._meta.app_label == obj2._meta.app_label)
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return (db == KEYSTORE_DB) == (app_label == KEYSTORE_APP)
