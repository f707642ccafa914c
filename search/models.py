"""What the search reads: one row per searchable object, its title and text copied from the object.

The rows are derived data. The receivers (`receivers.py`) queue a task that rewrites an object's row after
each save or delete; `manage.py search_reindex` rebuilds them all (after bulk writes, which send no signals).
The database keeps its own index of the rows (migration 0002): on PostgreSQL a trigger fills `vector`
(weighted, `norwegian` configuration) under a GIN index; on SQLite triggers copy the rows into an FTS5 table.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City


class Kind(models.TextChoices):
    """What a row stands for; the results page shows one group of each, in this order."""

    MEASURE = "measure", _("Measures")
    PROGRAMME = "programme", _("Action programmes")
    COMMENT = "comment", _("Review comments")
    ANSWER = "answer", _("Answers to review comments")
    MINUTES = "minutes", _("Minutes")
    MEETING = "meeting", _("Meetings")
    AGREEMENT = "agreement", _("Agreements")
    INSTRUMENT = "instrument", _("State instruments")
    REQUEST = "request", _("Requests to the state")


class Entry(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    # The city the object belongs to, if one: shown beside the result, and "other cities" for similar measures.
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=300)
    updated_at = models.DateTimeField(_("indexed at"), default=timezone.now)
    # PostgreSQL only: filled by the trigger of migration 0002 from the title (weight A) and the text (B).
    # On SQLite the column stays empty and the FTS5 table `search_entry_fts` is read instead.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_one_per_object")]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title[:60]}"
