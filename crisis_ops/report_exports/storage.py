"""Export files on disk: encrypted (AES-GCM under the keyring, bound to the export's id), in
REPORT_EXPORT_DIR, which is neither MEDIA_ROOT nor STATIC_ROOT, so no web server serves it.

Files live at most 7 days, so key rotation does not re-encrypt them: a rotated-out key
needs to stay readable for one week after rotation.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings

from crisis_ops.encryption.cipher import decrypt, encrypt, location_of

_BINDING = location_of("report_exports_reportexport", "file")


def _directory() -> Path:
    path = Path(settings.REPORT_EXPORT_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _binding(export_id: uuid.UUID) -> bytes:
    return _BINDING + export_id.bytes


def file_write(*, export_id: uuid.UUID, data: bytes) -> str:
    name = f"{export_id}.bin"
    target = _directory() / name
    partial = target.with_suffix(".part")
    partial.write_bytes(encrypt(data, _binding(export_id)))
    partial.chmod(0o600)
    partial.replace(target)  # a reader never sees half a file
    return name


def file_read(*, export_id: uuid.UUID, name: str) -> bytes:
    return decrypt((_directory() / name).read_bytes(), _binding(export_id))


def file_delete(*, name: str) -> None:
    if name:
        (_directory() / name).unlink(missing_ok=True)
