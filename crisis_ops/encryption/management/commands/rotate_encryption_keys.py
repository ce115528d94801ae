import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crisis_ops.encryption import key_rotation, rotation
from crisis_ops.encryption.keys import get_keyring


class ProgressBar:
    def __init__(self, stream: Any, verb: str) -> None:
        self.stream = stream
        self.verb = verb
        self.label = ""

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self.label and self.label:
            self.stream.write("\n")
        self.label = label
        width = 30
        filled = width * done // total if total else width
        percent = 100 * done // total if total else 100
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.verb} {label:<28} [{bar}] {done}/{total} ({percent}%)")
        self.stream.flush()

    def finish(self) -> None:
        if self.label:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Re-wrap survivors' data keys under the active keyring key, re-encrypt every "
        "encrypted column under its current key and rebuild blind indexes whose key "
        "changed, in resumable batches; then verify every row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--verify-only", action="store_true", help="Only verify; change nothing."
        )
        parser.add_argument(
            "--rewrap-only",
            action="store_true",
            help="Only re-wrap the survivors' data keys (cheap: no value is re-encrypted).",
        )
        parser.add_argument(
            "--new-data-keys",
            action="store_true",
            help=(
                "Also give every survivor a fresh data key and re-encrypt her values under it "
                "(when the keyring and a key-store copy may both have leaked); the old keys "
                "are deleted once verification is clean."
            ),
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        keyring = get_keyring()
        self.stdout.write(f"Active keys: {keyring.fingerprint()}")
        if options["rewrap_only"]:
            bar = ProgressBar(sys.stderr, "re-wrapping")
            rewrapped = rotation.rewrap(batch_size=options["batch_size"], progress=bar)
            bar.finish()
            left = key_rotation.keys_not_under_active_wrapping_key()
            self.stdout.write(f"Re-wrap done: {rewrapped} data keys re-wrapped.")
            if left:
                raise CommandError(f"{left} data keys are still under an old keyring key.")
            self.stdout.write(self.style.SUCCESS("Every data key is under the active key."))
            return
        if not options["verify_only"]:
            bar = ProgressBar(sys.stderr, "rotating ")
            changed = rotation.rotate(
                batch_size=options["batch_size"],
                progress=bar,
                new_data_keys=options["new_data_keys"],
            )
            bar.finish()
            self.stdout.write(f"Rotation done: {changed} rows re-encrypted or re-indexed.")
        bar = ProgressBar(sys.stderr, "verifying")
        report = rotation.verify(progress=bar)
        bar.finish()
        for problem in report.undecryptable[:20]:
            self.stderr.write(problem)
        for problem in report.index_mismatch[:20]:
            self.stderr.write(f"blind index out of date: {problem}")
        summary = (
            f"{report.rows} rows, {report.values} values checked; "
            f"{len(report.undecryptable)} undecryptable, {report.stale_key} under an old key, "
            f"{len(report.index_mismatch)} stale blind-index tokens; "
            f"{report.keys_to_rewrap} data keys under an old keyring key."
        )
        if not report.ok:
            raise CommandError(f"Verification failed: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Verified: {summary}"))
        if not options["verify_only"] and rotation.renewal_pending():
            deleted = rotation.finish_renewal()
            self.stdout.write(f"Renewal done: {deleted} old data keys deleted.")
