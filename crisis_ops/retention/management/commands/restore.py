from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crisis_ops.retention.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup from its manifest: checksums first, then the key store, then the main"
        " database, each into its configured database (replacing what is there). Afterwards run"
        " verify_audit_log and verify_decryption. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("manifest", help="the manifest-*.json written by manage.py backup")
        parser.add_argument(
            "--only", choices=["main", "keystore"], help="restore one of the two databases only"
        )
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the configured databases are replaced"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Restoring replaces the configured databases; add --yes.")
        roles = (options["only"],) if options.get("only") else ("keystore", "main")
        try:
            restored = backup_restore(manifest=Path(options["manifest"]), roles=roles)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored: {', '.join(restored)}."))
        self.stdout.write("Now run: manage.py verify_audit_log and manage.py verify_decryption")
