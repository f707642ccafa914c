"""Searching what a user may read: the results grouped by kind, one kind's results, and similar measures.

Every query reads the entries whose object the user may read (`scopes.readable`, a subquery of each app's
access function), so the number of queries does not grow with the results: one for the counts of every
kind, and one for the best results of each kind that has any.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count

from search.backends import backend, searchable
from search.highlight import mark
from search.models import Entry, Kind
from search.scopes import readable

PER_KIND = 5
MAX_QUERY = 200  # characters


@dataclass
class Hit:
    entry: Entry
    title: str  # marked up: the words found in <mark>, the rest escaped
    excerpt: str


@dataclass
class Group:
    kind: Kind
    count: int
    hits: list = field(default_factory=list)

    @property
    def more(self):
        return self.count - len(self.hits)


def _shown(entries):
    """What a result shows: not the whole text (a document's may be long) nor its vector, but the excerpt."""
    return entries.select_related("city").defer("body", "vector")


def hits(entries):
    """The results of a ranked queryset of entries, their titles and excerpts marked up."""
    return [Hit(entry=e, title=mark(e.title_marked), excerpt=mark(e.body_marked)) for e in entries]


def ranked(user, text, kind):
    """The entries of `kind` that match `text` and that `user` may read, best first (a queryset to slice)."""
    return _shown(backend().ranked(Entry.objects.filter(readable(user, kind)), text))


def count(user, text, kind):
    """How many entries of `kind` match `text` that `user` may read (without ranking them or making excerpts)."""
    return backend().match(Entry.objects.filter(readable(user, kind)), text).count()


def search(user, text, *, per_kind=PER_KIND, kinds=Kind):
    """The groups of results for `text`: of each kind with a match, its number of matches and its best
    `per_kind`, in the order of `Kind`."""
    if not searchable(text):
        return []
    kinds = list(kinds)
    condition = reduce(or_, (readable(user, kind) for kind in kinds))
    counts = {
        row["kind"]: row["n"]
        for row in backend()
        .match(Entry.objects.filter(condition), text)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        Group(kind=kind, count=counts[kind], hits=hits(ranked(user, text, kind)[:per_kind]))
        for kind in kinds
        if counts.get(kind)
    ]


def similar_measures(measure, user, *, limit=5):
    """Up to `limit` measures of other cities than `measure`'s that share words of its title, which `user`
    may read, the most alike first. For "Who else does this?" beside the measure."""
    if not searchable(measure.title, any_word=True):
        return []
    entries = Entry.objects.filter(readable(user, Kind.MEASURE)).exclude(object_id=measure.pk)
    city_id = measure.programme.city_id
    entries = entries.exclude(city_id=city_id) if city_id else entries
    return hits(_shown(backend().ranked(entries, measure.title, any_word=True))[:limit])
