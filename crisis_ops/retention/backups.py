"""Backups of the main database and of the key store, and their restore.

``backup`` dumps the main database first and the key store second, each with pg_dump's
own consistent snapshot, and writes a manifest beside them: when, which files, their
SHA-256, and the keyring's fingerprint (key ids and check values, never a key). Main
first: a survivor created between the two dumps then has her key in the key-store dump
(keys are created before any value sealed with them), and one purged between them has
rows in the main dump but no key — unreadable, as she should be.

Key-store dumps older than ``KEYSTORE_BACKUP_DAYS`` (30 by default) are deleted by every
backup run: that is what makes a purge reach the backups. A main-database dump may be kept
longer; without the keys destroyed since, the purged survivors in it stay unreadable.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from crisis_ops.encryption.keys import get_keyring, key_check_value

KEYSTORE_ALIAS = "keystore"
MANIFEST_VERSION = 1


class BackupError(Exception):
    pass


def _aliases() -> list[str]:
    """The databases a backup holds, in dump order: main first, then the key store."""
    return ["default", *([KEYSTORE_ALIAS] if KEYSTORE_ALIAS in settings.DATABASES else [])]


def _role(alias: str) -> str:
    return "main" if alias == "default" else "keystore"


def _pg_args(alias: str) -> tuple[list[str], dict[str, str]]:
    db = connections[alias].settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(f"The {_role(alias)} database is not PostgreSQL; pg_dump cannot read it.")
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (the PostgreSQL client tools are needed).")
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keyring_fingerprint() -> dict[str, Any]:
    keyring = get_keyring()
    return {
        "active": keyring.fingerprint(),
        "data_keys": {k: key_check_value(v) for k, v in sorted(keyring.data_keys.items())},
    }


def pg_dump(*, alias: str, target: Path, database: str | None = None) -> None:
    args, env = _pg_args(alias)
    name = database or str(connections[alias].settings_dict["NAME"])
    # Fixed arguments from the settings, never from a request.
    result = subprocess.run(  # noqa: S603
        [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(target), name],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump of the {_role(alias)} database failed: {result.stderr.strip()}")


def pg_restore(*, alias: str, source: Path, database: str | None = None) -> None:
    """Restore a dump into the (existing, emptied or fresh) database of that alias."""
    args, env = _pg_args(alias)
    name = database or str(connections[alias].settings_dict["NAME"])
    result = subprocess.run(  # noqa: S603 - fixed arguments from the settings
        [
            _tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            name,
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore into {name} failed: {result.stderr.strip()}")


@dataclass(frozen=True)
class Backup:
    manifest: Path
    files: dict[str, Path]


def backup_create(*, directory: Path | None = None, now: datetime.datetime | None = None) -> Backup:
    """Dump every database (main, then key store), write the manifest, prune old key stores."""
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = now or timezone.now()
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    files: dict[str, Path] = {}
    entries = []
    for alias in _aliases():
        role = _role(alias)
        target = directory / f"{role}-{stamp}.dump"
        pg_dump(alias=alias, target=target)
        target.chmod(0o600)
        files[role] = target
        entries.append(
            {
                "role": role,
                "file": target.name,
                "database": str(connections[alias].settings_dict["NAME"]),
                "bytes": target.stat().st_size,
                "sha256": _sha256(target),
            }
        )
    manifest = directory / f"manifest-{stamp}.json"
    document = {
        "version": MANIFEST_VERSION,
        "created_at": now.isoformat(),
        "files": entries,
        "keyring": keyring_fingerprint(),
        "keystore_retention_days": settings.KEYSTORE_BACKUP_DAYS,
        "restore_order": [
            e["role"] for e in sorted(entries, key=lambda e: e["role"] != "keystore")
        ],
    }
    manifest.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    manifest.chmod(0o600)
    backups_prune(directory=directory, now=now)
    return Backup(manifest=manifest, files=files)


def backups_prune(*, directory: Path, now: datetime.datetime) -> list[Path]:
    """Delete key-store dumps older than KEYSTORE_BACKUP_DAYS (by the manifest's time)."""
    cutoff = now - datetime.timedelta(days=settings.KEYSTORE_BACKUP_DAYS)
    deleted = []
    for manifest in sorted(directory.glob("manifest-*.json")):
        try:
            document = json.loads(manifest.read_text())
            created = datetime.datetime.fromisoformat(document["created_at"])
        except (ValueError, KeyError, OSError):
            continue
        if created >= cutoff:
            continue
        for entry in document.get("files", []):
            if entry.get("role") == "keystore":
                path = directory / entry["file"]
                if path.exists():
                    path.unlink()
                    deleted.append(path)
    return deleted


def manifest_read(path: Path) -> dict[str, Any]:
    try:
        document: dict[str, Any] = json.loads(Path(path).read_text())
        assert isinstance(document.get("files"), list)
    except (OSError, ValueError, AssertionError) as exc:
        raise BackupError(f"{path} is not a backup manifest.") from exc
    return document


def manifest_check(path: Path) -> dict[str, Path]:
    """role -> dump file, after checking every file is there with its recorded checksum."""
    path = Path(path)
    document = manifest_read(path)
    found = {}
    for entry in document["files"]:
        dump = path.parent / entry["file"]
        if not dump.exists():
            raise BackupError(
                f"{entry['file']} is missing (key-store dumps age out after "
                f"{document.get('keystore_retention_days', '?')} days)."
            )
        if _sha256(dump) != entry["sha256"]:
            raise BackupError(f"{entry['file']} does not match its checksum.")
        found[entry["role"]] = dump
    return found


def backup_restore(*, manifest: Path, roles: tuple[str, ...] = ("keystore", "main")) -> list[str]:
    """Restore the key store first, then the main database; returns the roles restored."""
    dumps = manifest_check(manifest)
    restored = []
    for role in ("keystore", "main"):
        if role not in roles or role not in dumps:
            continue
        alias = "default" if role == "main" else KEYSTORE_ALIAS
        if alias not in settings.DATABASES:
            raise BackupError(f"No {role} database is configured to restore into.")
        connections[alias].close()
        pg_restore(alias=alias, source=dumps[role])
        restored.append(role)
    return restored
