from typing import Any

from django.core.management.base import BaseCommand, CommandError

from crisis_ops.audit.models import AuditEvent
from crisis_ops.audit.services import audit_chain_problems


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exits non-zero on any altered or removed row."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(audit_chain_problems())
        for problem in problems:
            self.stderr.write(f"audit row {problem.seq}: {problem.reason}")
        if problems:
            raise CommandError(f"Audit log verification failed: {len(problems)} problem(s).")
        total = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {total} events verified."))
