"""Invitations by mail: each new invitee gets one, in their language, with the meeting as an .ics
file and a link to answer; those who have not answered get one reminder before registration closes."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from cities.models import Profile
from lib.mail import absolute_url
from meetings import reminders, services
from meetings.calendar import uid
from meetings.models import Invitation, Meeting
from outbox.models import OutgoingMail
from tests.meetings.conftest import Response, gathering_at
from tests.outbox.helpers import delivering

OSLO = ZoneInfo("Europe/Oslo")


def at(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def travel(moment):
    return time_machine.travel(int(moment.timestamp()), tick=False)


@pytest.fixture
def planned(manager, atp, oslo, recipe):
    """A gathering Thursday 14.03.2030 09:00 in Oslo, registration until Friday 08.03.2030."""
    with travel(at(2030, 2, 20, 12)):
        return gathering_at(manager, [atp], oslo, at(2030, 3, 14, 9), registration_deadline=datetime.date(2030, 3, 8))


def test_each_new_invitee_gets_the_invitation_with_the_meeting_as_a_calendar_file(
    planned, contact_oslo, contact_bergen, mailoutbox
):
    Profile.objects.create(user=contact_bergen, language="en")

    with travel(at(2030, 2, 20, 12)), delivering():
        services.invite(planned, users=[contact_oslo, contact_bergen])

    by_address = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_address) == ["kontakt-bergen@example.org", "kontakt-oslo@example.org"]
    norwegian, english = by_address["kontakt-oslo@example.org"], by_address["kontakt-bergen@example.org"]
    assert norwegian.subject == "Invitasjon: Nettverkssamling areal og transport (14.03.2030–15.03.2030)"
    assert english.subject == "Invitation: Nettverkssamling areal og transport (14.03.2030–15.03.2030)"
    assert "by the end of 08.03.2030" in english.body
    assert absolute_url(reverse("meetings:meeting_detail", args=[planned.pk])) in english.body
    ((filename, content, content_type),) = english.attachments
    assert filename.endswith("-20300314.ics") and content_type == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(event["UID"]) == uid("meeting", planned.pk)
    assert event.decoded("DTSTART") == at(2030, 3, 14, 9)


def test_inviting_again_mails_nobody_twice(planned, contact_oslo, contact_bergen, oslo, bergen, mailoutbox):
    with travel(at(2030, 2, 20, 12)), delivering():
        services.invite(planned, cities=[oslo])
        services.invite(planned, cities=[oslo, bergen])

    assert sorted(m.to[0] for m in mailoutbox) == ["kontakt-bergen@example.org", "kontakt-oslo@example.org"]


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.CANCELLED])
def test_no_invitation_mail_for_a_meeting_that_is_not_ahead(planned, contact_oslo, status, mailoutbox):
    Meeting.objects.filter(pk=planned.pk).update(status=status)
    planned.refresh_from_db()

    with travel(at(2030, 2, 20, 12)), delivering():
        services.invite(planned, users=[contact_oslo])

    assert mailoutbox == []
    assert Invitation.objects.filter(meeting=planned).count() == 1


def test_those_who_have_not_answered_are_reminded_once_two_working_days_before_registration_closes(
    planned, contact_oslo, contact_bergen, coordinator, mailoutbox
):
    with travel(at(2030, 2, 20, 12)), delivering():
        services.invite(planned, users=[contact_oslo, contact_bergen])
    with travel(at(2030, 3, 5, 12)), delivering():
        services.invite(planned, users=[coordinator])  # invited the day before: reminded a day later
    Invitation.objects.filter(user=contact_bergen).update(response=Response.ATTENDING)
    mailoutbox.clear()

    for moment in [at(2030, 3, 6, 8, 59), at(2030, 3, 6, 9, 5), at(2030, 3, 6, 9, 20), at(2030, 3, 7, 9, 5)]:
        with travel(moment), delivering():
            reminders.sweep()

    subject = "Påminnelse: kommer du på Nettverkssamling areal og transport?"
    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        ("kontakt-oslo@example.org", subject),
        ("koordinator-atp@example.org", subject),
    ]
    assert OutgoingMail.objects.filter(kind="registration_reminder").count() == 2


def test_no_registration_reminder_once_registration_has_closed(planned, contact_oslo, mailoutbox):
    with travel(at(2030, 2, 20, 12)), delivering():
        services.invite(planned, users=[contact_oslo])
    mailoutbox.clear()

    with travel(at(2030, 3, 9, 9, 5)), delivering():
        reminders.sweep()

    assert mailoutbox == []
