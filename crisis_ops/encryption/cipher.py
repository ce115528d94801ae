"""AES-256-GCM for single field values.

Two stored formats (bytes). A value that belongs to a survivor is sealed with her own
data key (see ``data_keys``)::

    version 2 (1) | data key id (16, a UUID) | nonce (12) | ciphertext + tag (16)

Anything else (a shelter's address, an idempotent answer), and every value written
before the per-survivor keys, uses a keyring key directly::

    version 1 (1) | key id length (1) | key id (ASCII) | nonce (12) | ciphertext + tag (16)

The associated data is the header followed by table, column and row id, so a
value copied to another row or column, or given another key id, fails to
decrypt. The row id is the application-generated UUID primary key.

This is the hot path of every page that shows a case, so it avoids work a
clearer version would repeat: headers and ciphers are precomputed per keyring.
"""

from __future__ import annotations

import os
from collections import deque

from cryptography.exceptions import InvalidTag

from crisis_ops.encryption import cache as key_cache_module
from crisis_ops.encryption import data_keys, keys
from crisis_ops.encryption.data_keys import ENVELOPE_HEADER_BYTES, ENVELOPE_VERSION
from crisis_ops.encryption.errors import DecryptionError, EncryptionError
from crisis_ops.encryption.keys import FORMAT_VERSION, Keyring, get_keyring

__all__ = ["Ciphertext", "DecryptionError", "EncryptionError", "decrypt", "encrypt"]

NONCE_BYTES = 12
_ENVELOPE_BYTE = bytes((ENVELOPE_VERSION,))
_NONCES_PER_DRAW = 1024


# Random 96-bit nonces, drawn from the OS 1024 at a time. Each is still 12 fresh
# bytes from os.urandom; one call for 1024 of them saves a system call per value.
# deque.popleft is atomic, so threads never share a nonce, and a forked child
# empties the pool so two processes never use the same buffered nonces.
_nonces: deque[bytes] = deque()


def _next_nonce() -> bytes:
    try:
        return _nonces.popleft()
    except IndexError:
        pool = os.urandom(NONCE_BYTES * _NONCES_PER_DRAW)
        _nonces.extend([pool[i : i + NONCE_BYTES] for i in range(0, len(pool), NONCE_BYTES)])
        return _nonces.popleft()


os.register_at_fork(after_in_child=_nonces.clear)


class Ciphertext(bytes):
    """Bytes known to be a stored ciphertext; the only thing an encrypted column accepts."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<Ciphertext key={self.key_id!r} {len(self)} bytes>"

    @property
    def key_id(self) -> str:
        """The keyring key's id (version 1), or the data key's UUID as hex (version 2)."""
        if self[:1] == b"\x02":
            return self[1:ENVELOPE_HEADER_BYTES].hex()
        return self[2 : 2 + self[1]].decode("ascii", errors="replace")

    @property
    def is_envelope(self) -> bool:
        """Sealed with a survivor's own data key."""
        return self[:1] == b"\x02"


def location_of(table: str, column: str) -> bytes:
    return f"{table}\x1f{column}\x1f".encode()


def encrypt(plaintext: bytes, binding: bytes, keyring: Keyring | None = None) -> Ciphertext:
    """Encrypt under the active key; ``binding`` is location + row id bytes."""
    keyring = keyring or keys._loaded or get_keyring()
    header = keyring.active_header
    nonce = _next_nonce()
    sealed = keyring.active_cipher.encrypt(nonce, plaintext, header + binding)  # type: ignore[union-attr]
    return Ciphertext(header + nonce + sealed)


def encrypt_for_survivor(plaintext: bytes, binding: bytes, survivor_id: object) -> Ciphertext:
    """Encrypt under the survivor's own data key (made, and stored wrapped, on first use)."""
    key = data_keys.key_for_survivor(survivor_id)
    nonce = _next_nonce()
    return Ciphertext(
        key.header + nonce + key.cipher.encrypt(nonce, plaintext, key.header + binding)
    )


def decrypt(blob: bytes, binding: bytes, keyring: Keyring | None = None) -> bytes:
    """Plaintext, or DecryptionError naming the reason (never the value)."""
    if blob[:1] == _ENVELOPE_BYTE:
        header = blob[:ENVELOPE_HEADER_BYTES]
        # The cached key read inline: this runs once per encrypted value a page shows.
        cached = key_cache_module._cache
        key = cached.get(header) if cached is not None else None
        if key is None:
            key = data_keys.key_by_header(header, keyring)
        try:
            return key.cipher.decrypt(
                blob[ENVELOPE_HEADER_BYTES : ENVELOPE_HEADER_BYTES + NONCE_BYTES],
                blob[ENVELOPE_HEADER_BYTES + NONCE_BYTES :],
                header + binding,
            )
        except InvalidTag:
            raise DecryptionError(
                "authentication failed (altered bytes, or a value from another row or column)"
            ) from None
    keyring = keyring or keys._loaded or get_keyring()
    start = 2 + blob[1] if len(blob) > 1 else 0
    header = blob[:start]
    cipher = keyring.ciphers.get(header)
    if cipher is None:
        if not start or blob[0] != FORMAT_VERSION:
            raise DecryptionError("unsupported format version")
        key_id = header[2:].decode("ascii", errors="replace")
        raise DecryptionError(f"unknown key id {key_id!r}")
    try:
        return cipher.decrypt(
            blob[start : start + NONCE_BYTES], blob[start + NONCE_BYTES :], header + binding
        )
    except InvalidTag:
        raise DecryptionError(
            "authentication failed "
            "(wrong key, altered bytes, or a value from another row or column)"
        ) from None
