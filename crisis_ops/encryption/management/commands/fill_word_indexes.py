import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from crisis_ops.encryption.management.commands.rotate_encryption_keys import ProgressBar
from crisis_ops.encryption.word_index import fill_word_indexes


class Command(BaseCommand):
    help = (
        "Fill the per-word name indexes (search by any one word of a name) of rows written "
        "before they existed, in batches; safe to stop and run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        bar = ProgressBar(sys.stderr, "filling  ")
        filled = fill_word_indexes(batch_size=options["batch_size"], progress=bar)
        bar.finish()
        self.stdout.write(f"Filled: {filled} rows can now be found by any word of the name.")
