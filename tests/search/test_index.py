"""The entries follow the objects: each save or delete rewrites its object's entry once it commits (a task,
run at once in tests), and `search_reindex` rebuilds them all."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from actionplans import services
from actionplans.models import Draft, Measure
from meetings.models import Decision
from search import indexing
from search.models import Entry, Kind
from search.queries import search
from tests.conftest import upload

pytestmark = pytest.mark.django_db


def entry(kind, pk):
    return Entry.objects.filter(kind=kind, object_id=pk).values_list("title", "body", "city_id", "url").first()


def test_saving_and_deleting_a_measure(django_capture_on_commit_callbacks, oslo_programme, oslo, atp, manager):
    with django_capture_on_commit_callbacks(execute=True):
        measure = Measure.objects.create(
            programme=oslo_programme, theme_area=atp, title="Bysykler", description="Flere"
        )

    assert entry(Kind.MEASURE, measure.pk) == ("Bysykler", "Flere", oslo.pk, f"/measures/{measure.pk}/")

    with django_capture_on_commit_callbacks(execute=True):
        measure.title = "Bysykkelordning"
        measure.save(update_fields=["title"])

    assert [h.entry.object_id for g in search(manager, "bysykkelordning") for h in g.hits] == [measure.pk]

    with django_capture_on_commit_callbacks(execute=True):
        measure.delete()

    assert entry(Kind.MEASURE, measure.pk) is None


def test_a_rolled_back_save_writes_no_entry(django_capture_on_commit_callbacks, oslo_programme, atp):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Bysykler")

    assert (len(callbacks), Entry.objects.count()) == (1, 0)  # queued for the commit, which never came


def test_the_text_read_from_a_draft_is_its_programmes(
    django_capture_on_commit_callbacks, oslo_programme, oslo_document
):
    draft = Draft.objects.get(pk=oslo_document.pk)
    with django_capture_on_commit_callbacks(execute=True):
        draft.text = "Klimaplanens nye tekst om bydelene."
        draft.save(update_fields=["text"])

    assert entry(Kind.PROGRAMME, oslo_programme.pk)[1] == "Klimaplanens nye tekst om bydelene."


def test_a_submitted_programme_is_found_by_its_submitted_version(
    django_capture_on_commit_callbacks, bergen_programme, contact_bergen
):
    first = upload(bergen_programme, contact_bergen)
    Draft.objects.filter(pk=first.pk).update(text="Den innsendte versjonen.")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_programme(bergen_programme, by=contact_bergen)

    assert entry(Kind.PROGRAMME, bergen_programme.pk)[1] == "Den innsendte versjonen."


def test_a_decision_is_part_of_its_minutes(django_capture_on_commit_callbacks, minutes):
    with django_capture_on_commit_callbacks(execute=True):
        Decision.objects.create(minutes=minutes, text="Nytt vedtak om bysykler.")

    assert "Nytt vedtak om bysykler." in entry(Kind.MINUTES, minutes.pk)[1]


def test_marks_in_a_text_are_removed(oslo_programme, atp):
    measure = Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Sykkel\x02vei\x03")

    indexing.reindex(Kind.MEASURE, measure.pk)

    assert entry(Kind.MEASURE, measure.pk)[0] == "Sykkelvei"


def test_reindexing_twice_is_the_same(everything):
    before = list(Entry.objects.order_by("kind", "object_id").values_list("kind", "object_id", "title", "body"))

    call_command("search_reindex", stdout=io.StringIO())

    assert list(Entry.objects.order_by("kind", "object_id").values_list("kind", "object_id", "title", "body")) == before


def test_reindex_rebuilds_what_bulk_writes_missed(capsys, everything, oslo_programme, atp, manager):
    Measure.objects.bulk_create([Measure(programme=oslo_programme, theme_area=atp, title="Gatetun")])
    Entry.objects.filter(kind=Kind.AGREEMENT).delete()
    assert search(manager, "gatetun") == []

    call_command("search_reindex")

    assert [g.kind for g in search(manager, "gatetun")] == [Kind.MEASURE]
    assert [g.kind for g in search(manager, "avtaleteksten")] == [Kind.AGREEMENT]
    output = capsys.readouterr().out
    assert "measure: 3\n" in output
    assert "Reindexed 12 entries" in output


def test_reindex_of_some_kinds(capsys, everything):
    Entry.objects.all().delete()

    call_command("search_reindex", "measure", "agreement")

    assert sorted(Entry.objects.values_list("kind", flat=True)) == ["agreement", "measure", "measure"]


def test_reindex_refuses_an_unknown_kind(db):
    with pytest.raises(CommandError, match="Unknown kinds: users. The kinds are measure, programme"):
        call_command("search_reindex", "users")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger and GIN index of PostgreSQL")
def test_postgresql_keeps_the_weighted_vector(oslo_measure):
    indexing.reindex(Kind.MEASURE, oslo_measure.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM search_entry WHERE object_id = %s", [oslo_measure.pk])
        (vector,) = cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector_gin'")
        (index,) = cursor.fetchone()

    assert "'tiltak':1A" in vector
    assert "'stasjon':" in vector and "B" in vector.split("'stasjon':")[1]
    assert "USING gin (vector)" in index


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table of SQLite")
def test_sqlite_keeps_its_fts5_table_in_step(oslo_measure):
    indexing.reindex(Kind.MEASURE, oslo_measure.pk)
    Entry.objects.filter(kind=Kind.MEASURE).update(title="Gatetun")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH 'gatetun'")
        after_update = cursor.fetchall()
        Entry.objects.all().delete()
        cursor.execute("SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH 'gatetun'")
        after_delete = cursor.fetchone()[0]

    assert (len(after_update), after_delete) == (1, 0)
