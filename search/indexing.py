"""Writing the search entries: one object's (after it is saved or deleted), or all of them."""

from django.db import connection, transaction
from django.utils import timezone

from search.models import Entry, Kind
from search.sources import SOURCES, entry_values

BATCH = 2000


def reindex(kind, pk):
    """Rewrite the entry of object `pk` of `kind` from the object as it is now; delete it if the object is gone.

    Safe to run twice, and in any order with other runs: it reads the object, not what the caller saw."""
    source = SOURCES[Kind(kind)]
    obj = source.queryset().filter(pk=pk).first()
    if obj is None:
        Entry.objects.filter(kind=kind, object_id=pk).delete()
        return
    values = entry_values(source, obj)
    Entry.objects.update_or_create(kind=kind, object_id=pk, defaults={**values, "updated_at": timezone.now()})


def reindex_all(kinds=None, *, batch=BATCH):
    """Rebuild the entries of `kinds` (all kinds if None) from the objects; returns {kind: entries}.

    Each kind in one transaction: the search finds the old entries of a kind until its new ones commit."""
    counts = {}
    for kind in kinds or Kind.values:
        source = SOURCES[Kind(kind)]
        now = timezone.now()
        with transaction.atomic():
            Entry.objects.filter(kind=kind).delete()
            rows = []
            for obj in source.queryset().order_by("pk").iterator(chunk_size=batch):
                rows.append(Entry(kind=kind, object_id=obj.pk, updated_at=now, **entry_values(source, obj)))
                if len(rows) >= batch:
                    Entry.objects.bulk_create(rows)
                    counts[kind] = counts.get(kind, 0) + len(rows)
                    rows = []
            Entry.objects.bulk_create(rows)
            counts[kind] = counts.get(kind, 0) + len(rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # the FTS5 table built afresh from the entries, whatever happened before
            cursor.execute("INSERT INTO search_entry_fts (search_entry_fts) VALUES ('rebuild')")
    return counts
