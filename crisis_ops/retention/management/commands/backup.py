from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crisis_ops.retention.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Dump the main database, then the key store (pg_dump, each a consistent snapshot), with"
        " a manifest (time, SHA-256, keyring fingerprint); delete key-store dumps older than"
        " KEYSTORE_BACKUP_DAYS. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", help="where to write (default BACKUP_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup = backup_create(directory=options.get("dir"))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for role, path in backup.files.items():
            self.stdout.write(f"{role}: {path}")
        self.stdout.write(self.style.SUCCESS(f"Backup written: {backup.manifest}"))
