"""For tests of code that mails: the outbox sends after the commit, which a test's transaction never
makes. `delivering()` runs the on-commit callbacks at the end of its block (the drain, eager in
tests), so the mails are in django.core.mail.outbox afterwards."""

from contextlib import contextmanager

from django.test import TestCase


@contextmanager
def delivering():
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
