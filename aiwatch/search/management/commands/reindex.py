import time

from django.core.management.base import BaseCommand

from aiwatch.search import suggest
from aiwatch.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every published article, entity, event and claim."

    def handle(self, *args, **options):
        started = time.monotonic()
        total = rebuild()
        suggest.forget()
        self.stdout.write(f"Indexed {total} entries in {time.monotonic() - started:.1f} s.")
