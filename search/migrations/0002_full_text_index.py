"""The database's own full-text index of the search entries, different on each database.

PostgreSQL: a trigger fills `vector` from the title (weight A) and the text (weight B) with the `norwegian`
configuration (Snowball stemming: «tiltakene» is found by «tiltak»), under a GIN index.

SQLite: an FTS5 table with external content (the rows of search_entry), kept in step by triggers. SQLite has
no Norwegian stemmer; the query side strips common Norwegian endings and asks for prefixes (search/backends.py).

Any later migration that makes SQLite rebuild search_entry (most AlterField and RemoveField operations do)
drops these triggers with the old table: it must run SQLITE_FORWARD again (and `search_reindex`).
"""

from django.db import OperationalError, migrations

POSTGRESQL_FORWARD = [
    """
    CREATE FUNCTION search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector := setweight(to_tsvector('pg_catalog.norwegian', coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('pg_catalog.norwegian', coalesce(NEW.body, '')), 'B');
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER search_entry_vector BEFORE INSERT OR UPDATE OF title, body ON search_entry
    FOR EACH ROW EXECUTE FUNCTION search_entry_vector()
    """,
    "CREATE INDEX search_entry_vector_gin ON search_entry USING gin (vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "DROP TRIGGER IF EXISTS search_entry_vector ON search_entry",
    "DROP FUNCTION IF EXISTS search_entry_vector()",
]

SQLITE_FORWARD = [
    # Norwegian letters are letters, not accents: «å» stays «å» (remove_diacritics 0).
    """
    CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        title, body, content='search_entry', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts (search_entry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_update AFTER UPDATE OF title, body ON search_entry BEGIN
        INSERT INTO search_entry_fts (search_entry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_entry_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    "INSERT INTO search_entry_fts (search_entry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            try:
                schema_editor.execute(statement, params=None)
            except OperationalError as error:
                if "fts5" not in str(error):
                    raise
                raise RuntimeError(
                    "The search needs SQLite's FTS5 extension, which this Python's sqlite3 module lacks. "
                    "Use a Python built with a current SQLite (Debian's and the official builds have FTS5), "
                    "or PostgreSQL (DATABASE_URL)."
                ) from error

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_entry")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
