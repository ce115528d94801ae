import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crisis_ops.encryption.keys import (
    KEY_BYTES,
    Keyring,
    key_check_value,
    keyring_document,
    new_key_id,
    parse_keyring,
)


class Command(BaseCommand):
    help = (
        "Create a keyring file, or add a new active data or blind-index key to one. "
        "Old keys stay in the file until rotation has moved every value off them."
    )

    # It must run before any keyring exists, when the keyring check would fail.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", required=True, help="Keyring file to create or update.")
        parser.add_argument("--add-data-key", action="store_true")
        parser.add_argument("--add-blind-index-key", action="store_true")
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing if the file already exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        adding = options["add_data_key"] or options["add_blind_index_key"]
        if path.exists() and options["if_missing"]:
            return
        if path.exists():
            keyring = parse_keyring(path.read_text(encoding="utf-8"))
        elif adding:
            raise CommandError(f"{path} does not exist; create it first without --add-*.")
        else:
            data_id, index_id = new_key_id("d"), new_key_id("b")
            keyring = Keyring(
                data_keys={data_id: secrets.token_bytes(KEY_BYTES)},
                active_data_key=data_id,
                blind_index_keys={index_id: secrets.token_bytes(KEY_BYTES)},
                active_blind_index_key=index_id,
            )
        if options["add_data_key"]:
            keyring.active_data_key = new_key_id("d")
            keyring.data_keys[keyring.active_data_key] = secrets.token_bytes(KEY_BYTES)
        if options["add_blind_index_key"]:
            keyring.active_blind_index_key = new_key_id("b")
            keyring.blind_index_keys[keyring.active_blind_index_key] = secrets.token_bytes(
                KEY_BYTES
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole then renamed, so a crash never leaves half a keyring.
        temporary = path.with_suffix(".tmp")
        temporary.touch(mode=0o600)
        temporary.write_text(keyring_document(keyring), encoding="utf-8")
        temporary.replace(path)
        self.stdout.write(f"Keyring written to {path}: {keyring.fingerprint()}")
        for key_id, key in keyring.data_keys.items():
            self.stdout.write(f"  data key {key_id}: check value {key_check_value(key)}")
        for key_id, key in keyring.blind_index_keys.items():
            self.stdout.write(f"  blind-index key {key_id}: check value {key_check_value(key)}")
