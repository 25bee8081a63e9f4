"""manage.py rebuild_search_words: refill the typo-tolerance word table from everything
searchable (after a bulk load or an import that bypassed the services). PostgreSQL only;
a no-op on SQLite."""

from django.core.management.base import BaseCommand

from registry.core.search import rebuild_search_words


class Command(BaseCommand):
    help = "Refill the search's typo-tolerance word table (PostgreSQL)."

    def handle(self, *args, **options):
        count = rebuild_search_words()
        self.stdout.write(f"{count} search words.")
