from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crisis_ops.audit.anchoring import anchor_problems, anchors_read
from crisis_ops.audit.models import AuditEvent
from crisis_ops.audit.services import audit_chain_problems


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit log; exits non-zero on any altered or removed row."
        " With --against FILE, also checks every head published in that anchor file is still"
        " in the chain with the same hash (which catches the newest rows deleted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against", metavar="FILE", help="anchor file of published heads (AUDIT_ANCHOR_FILE)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = [(p.seq, p.reason) for p in audit_chain_problems()]
        if options.get("against"):
            try:
                anchors = anchors_read(options["against"])
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the anchor file: {exc}") from exc
            problems += [(p.seq, f"anchor: {p.reason}") for p in anchor_problems(anchors)]
        for seq, reason in problems:
            self.stderr.write(f"audit row {seq}: {reason}")
        if problems:
            raise CommandError(f"Audit log verification failed: {len(problems)} problem(s).")
        total = AuditEvent.objects.count()
        suffix = f", {len(anchors)} published heads matched" if options.get("against") else ""
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {total} events verified{suffix}."))
