from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crisis_ops.retention.decryption import decryption_check


class Command(BaseCommand):
    help = (
        "Decrypt every encrypted value of every row (after a restore). Exits non-zero if any"
        " value does not decrypt; with --expect-purged, values of survivors whose data key is"
        " destroyed (purged after this dump was taken) are listed and allowed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-purged",
            action="store_true",
            help="a main-database dump older than the key store: purged survivors are expected",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = decryption_check()
        for fault in report.faults[:50]:
            self.stderr.write(f"cannot decrypt: {fault}")
        if report.purged:
            self.stdout.write(
                f"{sum(report.purged.values())} values of {len(report.purged)} survivors whose"
                " data key is destroyed (purged): unreadable, as promised."
            )
        failed = bool(report.faults) or (bool(report.purged) and not options["expect_purged"])
        if failed:
            raise CommandError(
                f"Decryption check failed: {report.unreadable} of {report.values} values"
                " unreadable."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Every value decrypts: {report.values} values in {report.rows} rows"
                + (", apart from the purged." if report.purged else ".")
            )
        )
