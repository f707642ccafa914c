"""A reminder the mail server refuses for good is set aside; it blocks no other."""

import datetime
import smtplib
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from actionplans import reminders
from actionplans.models import Reminder
from tests import factories

OSLO = ZoneInfo("Europe/Oslo")
BAD = "finnes-ikke@example.org"


class RefusingBackend(EmailBackend):
    """The remote mail server: refuses one address for good, another for a while."""

    def send_messages(self, messages):
        for message in messages:
            if BAD in message.to:
                raise smtplib.SMTPRecipientsRefused({BAD: (550, b"No such user")})
            if "busy@example.org" in message.to:
                raise smtplib.SMTPResponseException(451, b"Try again later")
        return super().send_messages(messages)


@pytest.fixture
def refusing_mail(settings):
    settings.EMAIL_BACKEND = "tests.actionplans.test_reminder_refusals.RefusingBackend"


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


def test_a_refused_address_is_set_aside_and_the_rest_are_sent(refusing_mail, round_, oslo, oslo_programme):
    bad = recorded(round_, oslo, BAD)
    good = recorded(round_, oslo, "kontakt@example.org")

    assert reminders.send_pending() == 1

    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.sent_at, bad.failed_at is not None, bad.error) == (
        None,
        True,
        "{'finnes-ikke@example.org': (550, b'No such user')}",
    )
    assert good.sent_at is not None
    assert [m.to for m in mail.outbox] == [["kontakt@example.org"]]
    assert reminders.send_pending() == 0  # the refused one is not tried again


def test_a_passing_refusal_stops_the_run_and_is_tried_again(refusing_mail, round_, oslo, oslo_programme):
    busy = recorded(round_, oslo, "busy@example.org")

    with pytest.raises(smtplib.SMTPResponseException) as refused:
        reminders.send_pending()
    assert (refused.value.smtp_code, refused.value.smtp_error) == (451, b"Try again later")

    busy.refresh_from_db()
    assert (busy.sent_at, busy.failed_at) == (None, None)
    assert list(Reminder.objects.unsent()) == [busy]
