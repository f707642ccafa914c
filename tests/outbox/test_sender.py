"""The sender: every due mail once, over one connection; 4xx retried later, 5xx refused, none held back."""

import datetime
import hashlib
import logging

import pytest
import time_machine
from django.core import mail as django_mail
from django.utils import timezone

from outbox import sender
from outbox.models import BouncingAddress, OutgoingMail
from outbox.services import is_bouncing
from tests.mailserver import free_port
from tests.outbox.conftest import make_mail

Status = OutgoingMail.Status
NOW = datetime.datetime(2030, 1, 22, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def statuses():
    return dict(OutgoingMail.objects.values_list("address", "status"))


def test_every_due_mail_is_sent_once_over_one_connection(db, smtp, at_now):
    for n in range(3):
        make_mail(f"p{n}@example.org")

    assert sender.drain() == 3
    assert sender.drain() == 0  # a second drain finds nothing due

    assert sorted(smtp.recipients()) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert smtp.connections == 1
    assert set(statuses().values()) == {Status.SENT}
    assert set(OutgoingMail.objects.values_list("attempts", "sent_at")) == {(1, NOW)}


def test_drain_sends_more_than_a_batch_in_one_run(db, at_now, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OUTBOX_BATCH = 10
    OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(address=f"p{n}@example.org", language="en", subject="s", text="t", kind="test", key=f"k{n}")
            for n in range(settings.OUTBOX_BATCH + 5)
        ]
    )

    assert sender.drain() == settings.OUTBOX_BATCH + 5
    assert len(django_mail.outbox) == settings.OUTBOX_BATCH + 5


def test_a_claimed_row_is_skipped_by_another_drain(db, smtp, at_now):
    taken = make_mail("taken@example.org")
    free = make_mail("free@example.org")

    claimed = sender.claim(batch=1)  # the first worker has taken one row and is sending it
    assert [m.pk for m in claimed] == [taken.pk]

    assert sender.drain() == 1  # the second worker sends only the other one
    assert smtp.recipients() == ["free@example.org"]
    taken.refresh_from_db()
    free.refresh_from_db()
    assert (taken.status, taken.attempts, free.status) == (Status.SENDING, 1, Status.SENT)


def test_a_mail_not_yet_due_waits(db, smtp, at_now):
    make_mail("later@example.org", due_at=NOW + datetime.timedelta(minutes=1))

    assert sender.drain() == 0
    assert smtp.recipients() == []


def test_a_temporary_refusal_is_tried_again_with_backoff_and_then_fails(db, smtp, at_now):
    smtp.answers["busy@example.org"] = "451 4.7.1 Greylisted, try again later"
    busy = make_mail("busy@example.org")
    make_mail("good@example.org")

    assert sender.drain() == 1
    busy.refresh_from_db()
    assert (busy.status, busy.attempts, busy.due_at) == (Status.QUEUED, 1, NOW + datetime.timedelta(minutes=1))
    assert "451" in busy.last_error
    assert not is_bouncing("busy@example.org")

    waits = []
    for _attempt in range(sender.MAX_ATTEMPTS - 1):
        wait = busy.due_at - timezone.now()
        waits.append(wait)
        at_now.shift(wait)
        assert sender.drain() == 0
        busy.refresh_from_db()
    assert waits == [
        datetime.timedelta(minutes=1),
        datetime.timedelta(minutes=5),
        datetime.timedelta(minutes=30),
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=6),
    ]
    assert (busy.status, busy.attempts) == (Status.FAILED, sender.MAX_ATTEMPTS)


def test_greylisting_lets_the_mail_through_on_the_next_try(db, smtp, at_now):
    smtp.answers["busy@example.org"] = "451 4.7.1 Greylisted"
    busy = make_mail("busy@example.org")
    assert sender.drain() == 0

    del smtp.answers["busy@example.org"]
    at_now.shift(datetime.timedelta(minutes=1))
    assert sender.drain() == 1
    busy.refresh_from_db()
    assert (busy.status, busy.attempts) == (Status.SENT, 2)
    assert smtp.recipients() == ["busy@example.org"]


def test_a_permanent_refusal_is_refused_and_bounces_and_the_others_are_sent(db, smtp, at_now):
    smtp.answers["gone@example.org"] = "550 5.1.1 No such user"
    make_mail("a@example.org")
    gone = make_mail("Gone@example.org".lower())
    make_mail("b@example.org")

    assert sender.drain() == 2
    assert sender.drain() == 0  # the refused one is not tried again

    assert statuses() == {
        "a@example.org": Status.SENT,
        "gone@example.org": Status.REFUSED,
        "b@example.org": Status.SENT,
    }
    assert sorted(smtp.recipients()) == ["a@example.org", "b@example.org"]
    assert smtp.connections == 1
    gone.refresh_from_db()
    assert "550" in gone.last_error
    assert is_bouncing("GONE@example.org")
    assert BouncingAddress.objects.get().first_refused_at == NOW


def test_the_message_id_is_made_from_the_key_and_stays_the_same(db, smtp, at_now, settings):
    settings.OUTBOX_MESSAGE_ID_DOMAIN = "portal.example"
    row = make_mail("a@example.org", key="reminder:1:2:7:3")

    sender.drain()
    row.status = Status.QUEUED
    row.save(update_fields=["status"])
    sender.drain()  # sent again (as after a crash): the same message to the recipient's system

    expected = "<" + hashlib.sha256(b"reminder:1:2:7:3").hexdigest()[:32] + "@portal.example>"
    assert [m["id"] for m in smtp.messages] == [expected, expected]
    assert OutgoingMail(key="reminder:1:2:7:3").message_id == expected
    assert OutgoingMail(key="reminder:1:2:7:4").message_id != expected


def test_an_unreachable_mail_server_leaves_the_batch_queued_for_a_little_later(db, settings, at_now):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    row = make_mail("a@example.org")

    assert sender.drain() == 0

    row.refresh_from_db()
    assert (row.status, row.attempts, row.due_at) == (Status.QUEUED, 0, NOW + sender.UNREACHABLE_BACKOFF)
    assert row.last_error != ""


def test_a_row_left_sending_by_a_dead_worker_is_logged_and_sent_again(db, smtp, at_now, caplog):
    row = make_mail("a@example.org")
    assert [m.pk for m in sender.claim()] == [row.pk]  # the worker dies here

    assert sender.sweep() == 0  # too fresh: its worker may still be sending it
    at_now.shift(sender.stale_after() + datetime.timedelta(seconds=1))
    with caplog.at_level(logging.WARNING, logger="outbox.sender"):
        assert sender.sweep() == 1

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    assert "possibly sent" in caplog.text
    assert row.key in caplog.text


def test_a_slow_mail_server_does_not_make_the_rest_of_the_batch_look_abandoned(db, smtp, settings):
    settings.OUTBOX_STALE_SECONDS = 0.2
    smtp.delay = 0.15
    rows = [make_mail(f"p{n}@example.org") for n in range(4)]

    assert sender.drain() == 4

    claimed = [OutgoingMail.objects.get(pk=row.pk).claimed_at for row in rows]
    assert claimed[-1] > claimed[0]  # renewed while the first ones were sent
    assert sender.recover_stale() == 0
