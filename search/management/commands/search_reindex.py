import time

from django.core.management.base import BaseCommand, CommandError

from search.indexing import reindex_all
from search.models import Kind


class Command(BaseCommand):
    help = (
        "Rebuild the search entries from the objects: after bulk writes (bulk_create, QuerySet.update), which "
        "send no signals, after restoring a backup, or to be sure."
    )

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help=f"only these kinds (default all): {', '.join(Kind.values)}")

    def handle(self, *args, kinds, **options):
        unknown = sorted(set(kinds) - set(Kind.values))
        if unknown:
            raise CommandError(f"Unknown kinds: {', '.join(unknown)}. The kinds are {', '.join(Kind.values)}.")
        start = time.perf_counter()
        counts = reindex_all(kinds or None)
        for kind, n in counts.items():
            self.stdout.write(f"{kind}: {n}")
        self.stdout.write(
            self.style.SUCCESS(f"Reindexed {sum(counts.values())} entries in {time.perf_counter() - start:.1f} s")
        )
