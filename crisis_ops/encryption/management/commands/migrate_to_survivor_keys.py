import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crisis_ops.encryption import rotation
from crisis_ops.encryption.management.commands.rotate_encryption_keys import ProgressBar


class Command(BaseCommand):
    help = (
        "Move every value that belongs to a survivor from the keyring's key to her own data "
        "key, in resumable batches (an interrupted run continues where it stopped); then "
        "verify that every such value decrypts and is under her key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--verify-only", action="store_true", help="Only verify; change nothing."
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["verify_only"]:
            bar = ProgressBar(sys.stderr, "moving   ")
            changed = rotation.move_to_survivor_keys(batch_size=options["batch_size"], progress=bar)
            bar.finish()
            self.stdout.write(f"Moved: {changed} rows re-encrypted under their survivor's key.")
        bar = ProgressBar(sys.stderr, "verifying")
        report = rotation.verify(progress=bar, models=rotation.owned_models())
        bar.finish()
        for problem in report.undecryptable[:20]:
            self.stderr.write(problem)
        summary = (
            f"{report.rows} rows, {report.values} values checked; "
            f"{len(report.undecryptable)} undecryptable, "
            f"{report.stale_key} not under their survivor's own key."
        )
        if report.undecryptable or report.stale_key:
            raise CommandError(f"Verification failed: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Verified: {summary}"))
