"""Queuing: rendered at once in the recipient's language, once per key, nothing for whom cannot get it."""

import logging

import pytest
from django.core import mail as django_mail
from django.test import TestCase

from cities.models import Profile
from outbox import services, tasks
from outbox.models import BouncingAddress, OutgoingMail
from portal.celery import app as celery_app
from tests import factories
from tests.mailserver import free_port
from tests.outbox.helpers import delivering

Status = OutgoingMail.Status


def reset_mail(user, key="k1", **kwargs):
    return services.queue(
        "password_reset",
        {"user": user, "url": "https://portal.example/x/"},
        to=user,
        kind="password_reset",
        key=key,
        **kwargs,
    )


def test_a_mail_is_rendered_in_the_persons_language_and_sent_after_the_commit(db):
    person = factories.UserFactory(username="kari")
    Profile.objects.create(user=person, language="en")

    with delivering():
        row = reset_mail(person, cause=person)
        assert django_mail.outbox == []  # not before the commit

    row.refresh_from_db()
    assert (row.address, row.language, row.recipient, row.cause, row.status) == (
        "kari@example.org",
        "en",
        person,
        person,
        Status.SENT,
    )
    assert row.subject == "Choose a new password for the portal"
    assert "https://portal.example/x/" in row.text
    assert '<html lang="en">' in row.html
    (message,) = django_mail.outbox
    assert (message.to, message.subject, message.extra_headers["Message-ID"]) == (
        ["kari@example.org"],
        row.subject,
        row.message_id,
    )


def test_the_same_key_is_queued_once(db):
    person = factories.UserFactory(username="kari")

    with delivering():
        first = reset_mail(person)
        second = reset_mail(person)

    assert second == first
    assert OutgoingMail.objects.count() == 1
    assert len(django_mail.outbox) == 1


def test_nothing_is_queued_for_an_inactive_person_or_an_empty_address(db):
    inactive = factories.UserFactory(username="borte", is_active=False)
    no_address = factories.UserFactory(username="uten", email="")

    assert reset_mail(inactive, key="a") is None
    assert reset_mail(no_address, key="b") is None
    assert services.queue("password_reset", {"user": no_address}, to="  ", kind="x", key="c") is None
    assert OutgoingMail.objects.count() == 0


def test_an_address_without_an_account_gets_the_default_language(db, settings):
    person = factories.UserFactory(username="kari")

    row = services.queue("password_reset", {"user": person}, to="ekstern@example.org", kind="x", key="k")

    assert (row.address, row.language, row.recipient) == ("ekstern@example.org", settings.LANGUAGE_CODE, None)


def test_nothing_is_queued_while_suppressed(db):
    person = factories.UserFactory(username="kari")

    with services.suppressed():
        assert reset_mail(person) is None
    assert reset_mail(person, key="after") is not None
    assert OutgoingMail.objects.count() == 1


def test_a_secret_mail_is_emptied_once_sent(db):
    person = factories.UserFactory(username="kari")

    with delivering():
        row = reset_mail(person, secret=True)

    row.refresh_from_db()
    assert (row.status, row.text, row.html) == (Status.SENT, "", "")
    assert "https://portal.example/x/" in django_mail.outbox[0].body


@pytest.fixture
def broker_down(monkeypatch):
    """A broker nobody listens on, and tasks sent to it rather than run at once.

    The app keeps its connection and producer pools for the broker it first met; they are put
    aside for the test (not closed: kombu shares them with every later publish in this process)."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager, celery_app._pool, celery_app.amqp._producer_pool
    down = f"redis://127.0.0.1:{free_port()}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", down)  # Celery reads it before its own setting (as in CI)
    conf.broker_url, conf.task_always_eager = down, False
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager, celery_app._pool, celery_app.amqp._producer_pool = saved


def test_a_broker_that_is_down_does_not_fail_the_caller_and_the_sweep_sends(db, broker_down, caplog):
    person = factories.UserFactory(username="kari")

    with caplog.at_level(logging.WARNING, logger="lib.tasks"), delivering():
        row = reset_mail(person)

    assert "the next sweep will do it" in caplog.text
    row.refresh_from_db()
    assert row.status == Status.QUEUED
    tasks.sweep()  # the beat's sweep, once the worker runs again
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert len(django_mail.outbox) == 1


def test_is_bouncing_ignores_case_and_blanks(db):
    BouncingAddress.objects.create(address="Borte@Example.org")

    assert services.is_bouncing(" borte@example.ORG ")
    assert not services.is_bouncing("her@example.org")
    assert not services.is_bouncing("")
    assert services.bouncing_addresses(["BORTE@example.org", "her@example.org"]) == {"borte@example.org"}


def test_a_batch_asks_for_one_drain_however_many_mails_it_queues(db):
    people = [factories.UserFactory(username=f"p{n}") for n in range(3)]

    with TestCase.captureOnCommitCallbacks() as callbacks, services.one_drain():
        for n, person in enumerate(people):
            reset_mail(person, key=f"k{n}")
    assert callbacks == [services.request_drain]

    with TestCase.captureOnCommitCallbacks() as callbacks, pytest.raises(ValueError), services.one_drain():
        reset_mail(people[0], key="k-failed")
        raise ValueError("the transaction rolls back: nothing to drain")
    assert callbacks == []
