"""The keyring: data keys for AES-256-GCM and root keys for blind indexes.

Keys come from ``CRISIS_OPS_KEYRING`` (a JSON document) or the file named by
``CRISIS_OPS_KEYRING_FILE``; never from SECRET_KEY, never from a migration::

    {
      "data_keys": {"2026a": "<base64 of 32 random bytes>", ...},
      "active_data_key": "2026a",
      "blind_index_keys": {"b2026a": "<base64 of 32 random bytes>", ...},
      "active_blind_index_key": "b2026a"
    }

Several keys of each kind may be present; new values use the active one, old
values stay readable until ``rotate_encryption_keys`` has moved them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from crisis_ops.env import env_str

KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
KEY_BYTES = 32
FORMAT_VERSION = 1
# Written by `make run` for development only; ignored by git, never read with DEBUG off.
DEV_KEYRING = Path(__file__).resolve().parents[2] / ".keys" / "dev-keyring.json"


@dataclass
class Keyring:
    data_keys: dict[str, bytes]
    active_data_key: str
    blind_index_keys: dict[str, bytes]
    active_blind_index_key: str
    ciphers: dict[bytes, AESGCM] = field(default_factory=dict, repr=False)
    active_header: bytes = field(default=b"", repr=False)
    active_cipher: AESGCM | None = field(default=None, repr=False)
    _index_keys: dict[tuple[str, str], bytes] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for kind, keys, active in (
            ("data", self.data_keys, self.active_data_key),
            ("blind index", self.blind_index_keys, self.active_blind_index_key),
        ):
            if not keys:
                raise ImproperlyConfigured(f"The keyring has no {kind} keys.")
            if active not in keys:
                raise ImproperlyConfigured(
                    f"The active {kind} key {active!r} is not in the keyring."
                )
            for key_id, key in keys.items():
                if not KEY_ID.match(key_id):
                    raise ImproperlyConfigured(f"Key id {key_id!r} must match {KEY_ID.pattern}.")
                if len(key) != KEY_BYTES:
                    raise ImproperlyConfigured(f"Key {key_id!r} must be {KEY_BYTES} bytes.")
        # Ciphers by the whole stored header (version, length, key id): decryption
        # finds its key with the same bytes it needs for the associated data.
        self.ciphers = {_header(key_id): AESGCM(key) for key_id, key in self.data_keys.items()}
        self.active_header = _header(self.active_data_key)
        self.active_cipher = self.ciphers[self.active_header]

    def index_key(self, root_id: str, index_name: str) -> bytes:
        """A per-index HMAC key derived from a root, so indexes cannot be compared."""
        cache_key = (root_id, index_name)
        derived = self._index_keys.get(cache_key)
        if derived is None:
            derived = HKDF(
                algorithm=hashes.SHA256(),
                length=32,
                salt=None,
                info=b"crisis-ops blind index " + index_name.encode(),
            ).derive(self.blind_index_keys[root_id])
            self._index_keys[cache_key] = derived
        return derived

    def fingerprint(self) -> str:
        """Identifies the active keys without revealing them (for logs and checks)."""
        return f"data={self.active_data_key} blind_index={self.active_blind_index_key}"


def _header(key_id: str) -> bytes:
    encoded = key_id.encode("ascii")
    return bytes((FORMAT_VERSION, len(encoded))) + encoded


def _decode_keys(raw: object, name: str) -> dict[str, bytes]:
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"Keyring field {name!r} must be an object of id: base64 key.")
    try:
        return {str(k): base64.b64decode(v, validate=True) for k, v in raw.items()}
    except (binascii.Error, TypeError) as exc:
        raise ImproperlyConfigured(
            f"Keyring field {name!r} holds a key that is not base64."
        ) from exc


def parse_keyring(document: str) -> Keyring:
    try:
        data = json.loads(document)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured("The keyring is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise ImproperlyConfigured("The keyring must be a JSON object.")
    return Keyring(
        data_keys=_decode_keys(data.get("data_keys"), "data_keys"),
        active_data_key=str(data.get("active_data_key", "")),
        blind_index_keys=_decode_keys(data.get("blind_index_keys"), "blind_index_keys"),
        active_blind_index_key=str(data.get("active_blind_index_key", "")),
    )


_loaded: Keyring | None = None


def get_keyring() -> Keyring:
    """The keyring, read from the environment once per process."""
    return _loaded or _load_keyring()


def _load_keyring() -> Keyring:
    global _loaded
    document = env_str("CRISIS_OPS_KEYRING")
    if not document and settings.DEBUG and DEV_KEYRING.exists():
        document = DEV_KEYRING.read_text(encoding="utf-8")
    if not document:
        raise ImproperlyConfigured(
            "No encryption keys: set CRISIS_OPS_KEYRING or CRISIS_OPS_KEYRING_FILE "
            "(make run creates a development keyring in .keys/); refusing to start."
        )
    _loaded = parse_keyring(document)
    return _loaded


def require_keyring_in_production() -> None:
    """A serving process (web, worker) refuses to start without keys rather than failing
    on first use. Management commands rely on the keyring system check instead, so that
    ``generate_keyring`` can run where no keyring exists yet."""
    if not settings.DEBUG:
        get_keyring()


def reset_keyring() -> None:
    """Forget the loaded keyring, so the next use reads the environment again."""
    global _loaded
    _loaded = None


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def new_key_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def keyring_document(keyring: Keyring) -> str:
    def encode(keys: dict[str, bytes]) -> dict[str, str]:
        return {k: base64.b64encode(v).decode() for k, v in keys.items()}

    return json.dumps(
        {
            "data_keys": encode(keyring.data_keys),
            "active_data_key": keyring.active_data_key,
            "blind_index_keys": encode(keyring.blind_index_keys),
            "active_blind_index_key": keyring.active_blind_index_key,
        },
        indent=2,
    )


def key_check_value(key: bytes) -> str:
    """A short value to compare backups of a key with, without showing the key."""
    return hashlib.sha256(b"crisis-ops key check" + key).hexdigest()[:12]
