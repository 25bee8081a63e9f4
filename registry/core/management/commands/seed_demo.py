"""`manage.py seed_demo`: demo users, teams and design docs, so a newcomer sees a living
registry at once. Idempotent: what exists already is left alone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.core import demo


class Command(BaseCommand):
    help = "Load demo users (password 'demo'), teams and design documents. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even when DEBUG is off (creates users with a known password).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to seed demo data with DEBUG off: the demo users have the password "
                "'demo'. Use --force if this really is a demo instance."
            )
        with transaction.atomic():
            summaries = [seeder.seed() for seeder in demo.seeders()]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {', '.join(summaries)} created (existing ones kept)."
            )
        )
