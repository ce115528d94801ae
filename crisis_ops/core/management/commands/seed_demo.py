from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crisis_ops.core import demo


class Command(BaseCommand):
    help = "Load demo organisations and one user per role (development only; idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed even though DEBUG is off (a staging machine, never production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("Demo users have a printed password; refusing with DEBUG off.")
        self.stdout.write("Demo users:")
        for seeder in demo.demo_seeders():
            seeder(self.stdout.write)
        self.stdout.write(f"Password for every demo user: {demo.DEMO_PASSWORD}")
        self.stdout.write(
            f"TOTP secret for every demo user (add it to an authenticator app): "
            f"{demo.demo_totp_secret()}"
        )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
