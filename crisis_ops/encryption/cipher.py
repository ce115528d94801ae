"""AES-256-GCM for single field values.

Stored format (bytes)::

    version (1) | key id length (1) | key id (ASCII) | nonce (12) | ciphertext + tag (16)

The associated data is the header followed by table, column and row id, so a
value copied to another row or column, or given another key id, fails to
decrypt. The row id is the application-generated UUID primary key.
"""

from __future__ import annotations

import os
import uuid

from cryptography.exceptions import InvalidTag

from crisis_ops.encryption.keys import Keyring, get_keyring

VERSION = 1
NONCE_BYTES = 12


class EncryptionError(Exception):
    """Base of every encryption failure. Messages never contain a value."""


class DecryptionError(EncryptionError):
    pass


class Ciphertext(bytes):
    """Bytes known to be a stored ciphertext; the only thing an encrypted column accepts."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<Ciphertext key={self.key_id!r} {len(self)} bytes>"

    @property
    def key_id(self) -> str:
        return parse_header(self)[1]


def location_of(table: str, column: str) -> bytes:
    return f"{table}\x1f{column}\x1f".encode()


def parse_header(blob: bytes) -> tuple[int, str, int]:
    """(version, key id, offset of the nonce)."""
    if len(blob) < 2 or blob[0] != VERSION:
        raise DecryptionError("unsupported format version")
    end = 2 + blob[1]
    return blob[0], blob[2:end].decode("ascii"), end


def encrypt(
    plaintext: bytes, *, location: bytes, row_id: uuid.UUID, keyring: Keyring | None = None
) -> Ciphertext:
    keyring = keyring or get_keyring()
    key_id = keyring.active_data_key
    encoded_id = key_id.encode("ascii")
    header = bytes((VERSION, len(encoded_id))) + encoded_id
    nonce = os.urandom(NONCE_BYTES)
    cipher = keyring.cipher(key_id)
    assert cipher is not None  # the keyring guarantees the active key exists
    sealed = cipher.encrypt(nonce, plaintext, header + location + row_id.bytes)
    return Ciphertext(header + nonce + sealed)


def decrypt(
    blob: bytes, *, location: bytes, row_id: uuid.UUID, keyring: Keyring | None = None
) -> bytes:
    """Plaintext, or DecryptionError naming the reason (never the value)."""
    keyring = keyring or get_keyring()
    _version, key_id, start = parse_header(blob)
    cipher = keyring.cipher(key_id)
    if cipher is None:
        raise DecryptionError(f"unknown key id {key_id!r}")
    nonce = blob[start : start + NONCE_BYTES]
    try:
        aad = blob[:start] + location + row_id.bytes
        return cipher.decrypt(nonce, blob[start + NONCE_BYTES :], aad)
    except InvalidTag:
        raise DecryptionError(
            "authentication failed "
            "(wrong key, altered bytes, or a value from another row or column)"
        ) from None
