"""For tests of code that mails: the outbox sends after the commit, which a test's transaction never
makes. `delivering()` does at the end of its block what a commit does: it runs every on-commit
callback waiting (the outbox's drain, eager in tests, among them), so the mails are in
django.core.mail.outbox afterwards."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def delivering():
    yield
    connection = transaction.get_connection()
    while connection.run_on_commit:  # a callback may queue more, as after a real commit
        waiting = list(connection.run_on_commit)
        connection.run_on_commit.clear()
        for _savepoints, callback, _robust in waiting:
            callback()


def lose_what_waits_for_the_commit():
    """As if the broker had been down at the commit: the tasks to be queued after it are lost."""
    transaction.get_connection().run_on_commit.clear()
