"""A reminder the mail server refuses for good is marked refused in the outbox; it blocks no other.

The mail server is a real one on loopback (aiosmtpd) that refuses one address for good (550) and
greylists another (451), as remote servers do.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from actionplans import reminders
from actionplans.models import Reminder
from outbox import sender
from outbox.models import OutgoingMail
from outbox.services import is_bouncing
from tests import factories
from tests.outbox.helpers import delivering

OSLO = ZoneInfo("Europe/Oslo")
BAD = "finnes-ikke@example.org"
BUSY = "busy@example.org"
NOW = datetime.datetime(2030, 1, 22, 9, 5, tzinfo=OSLO)
Status = OutgoingMail.Status


@pytest.fixture
def remote(smtp):
    smtp.answers = {BAD: "550 5.1.1 No such user", BUSY: "451 4.7.1 Greylisted, try again later"}
    return smtp


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def recorded(round_, city, email, offset=7):
    user = factories.UserFactory(email=email)
    return Reminder.objects.create(
        deadline=round_.deadline,
        city=city,
        offset_days=offset,
        kind=Reminder.Kind.CITY,
        recipient=user,
        email=email,
        due_date=round_.deadline.due_date,
        scheduled_at=datetime.datetime(2030, 1, 22, 9, 0, tzinfo=OSLO),
    )


def mail_of(reminder):
    return OutgoingMail.objects.get(key=reminders.outbox_key(reminder))


def test_a_refused_address_is_marked_and_the_rest_are_sent(
    remote, at_now, round_, oslo, oslo_programme, manager, client
):
    bad = recorded(round_, oslo, BAD)
    good = recorded(round_, oslo, "kontakt@example.org")

    with delivering():
        assert reminders.queue_pending() == 2

    assert remote.recipients() == ["kontakt@example.org"]
    assert (mail_of(bad).status, mail_of(good).status) == (Status.REFUSED, Status.SENT)
    assert "550" in mail_of(bad).last_error
    assert is_bouncing(BAD)
    assert reminders.queue_pending() == 0  # each reminder is queued once
    assert sender.drain() == 0  # and the refused one is not tried again

    client.force_login(manager)
    page = client.get(reverse("actionplans:reminder_log")).content.decode()
    refused = page[page.index('id="refused-heading"') : page.index('id="sent-heading"')]
    assert BAD in refused and "550" in refused
    assert "kontakt@example.org" not in refused


def test_a_passing_refusal_is_tried_again_later_and_gets_through(remote, at_now, round_, oslo, oslo_programme):
    busy = recorded(round_, oslo, BUSY)

    with delivering():
        reminders.queue_pending()

    mail = mail_of(busy)
    assert (mail.status, mail.attempts) == (Status.QUEUED, 1)
    assert mail.due_at == NOW + sender.BACKOFF[0]
    assert "451" in mail.last_error
    assert not is_bouncing(BUSY)

    remote.answers = {}  # the greylisting server lets it through on the next try
    at_now.shift(sender.BACKOFF[0])
    assert sender.drain() == 1
    assert remote.recipients() == [BUSY]
    assert mail_of(busy).status == Status.SENT
