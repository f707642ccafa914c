"""Line breaks and other control characters in what people type never break
an .ics file: a title, venue, description or action item that tries to start
an event of its own stays text in its one event."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from meetings.calendar import ical_text
from meetings.models import ActionItem, Minutes
from tests.meetings.test_calendar_feed import feed_url, meeting

OSLO = ZoneInfo("Europe/Oslo")
# No NUL: PostgreSQL cannot store it, and forms refuse it (Django's ProhibitNullCharactersValidator).
HOSTILE = "A\r\nBEGIN:VEVENT\r\nSUMMARY:x\x07\x1b"
CLEANED = "A\nBEGIN:VEVENT\nSUMMARY:x"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(int(datetime.datetime(2030, 2, 1, 12, 0, tzinfo=OSLO).timestamp()), tick=False):
        yield


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HOSTILE, CLEANED),
        ("Line\rbreak", "Line\nbreak"),
        ("Tab\there\x7f and \x1b[31mred\x9b", "Tabhere and [31mred"),
        ("Paragraph\u2028separator\u2029end\x85", "Paragraph\nseparator\nend\n"),
        ("Møte i Bærum, 1–2 juni; kl. 9", "Møte i Bærum, 1–2 juni; kl. 9"),
        (None, None),
    ],
)
def test_ical_text_keeps_newlines_and_drops_other_control_characters(text, expected):
    assert ical_text(text) == expected


@pytest.fixture
def hostile_meeting(manager, contact_oslo):
    return meeting(
        manager,
        HOSTILE,
        datetime.datetime(2030, 3, 4, 10, 0, tzinfo=OSLO),
        datetime.datetime(2030, 3, 4, 15, 0, tzinfo=OSLO),
        invite=[contact_oslo],
        venue="Rom 1\r\nEND:VCALENDAR\x07",
        description="Innhold\u2028BEGIN:VALARM\x1f",
    )


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (b"\x07" in response.content, b"\x1b" in response.content) == (False, False)
    # Every line a calendar reads ends in CRLF; no bare CR or LF splits a property.
    assert response.content.replace(b"\r\n", b"").count(b"\n") == 0
    assert response.content.replace(b"\r\n", b"").count(b"\r") == 0
    return Calendar.from_ical(response.content)


def test_meeting_ics_with_control_characters_has_one_event_with_the_title_intact(client, contact_oslo, hostile_meeting):
    client.force_login(contact_oslo)

    calendar = parse(client.get(reverse("meetings:meeting_ics", args=[hostile_meeting.pk])))

    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == CLEANED
    assert str(event["LOCATION"]) == "Rom 1\nEND:VCALENDAR"
    assert str(event["DESCRIPTION"]).split("\n\n")[1] == "Innhold\nBEGIN:VALARM"
    assert calendar.walk("VALARM") == []
    assert sorted(c.name for c in calendar.subcomponents) == ["VEVENT", "VTIMEZONE"]


def test_feed_with_control_characters_has_one_event_per_meeting_and_item(client, contact_oslo, hostile_meeting):
    minutes = Minutes.objects.create(meeting=hostile_meeting, status=Minutes.Status.PUBLISHED)
    ActionItem.objects.create(
        minutes=minutes, text="Skriv\r\nEND:VEVENT\x07", owner=contact_oslo, due_date=datetime.date(2030, 3, 20)
    )

    calendar = parse(client.get(feed_url(contact_oslo)))

    events = calendar.walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == sorted([CLEANED, "Oppfølgingspunkt: Skriv\nEND:VEVENT"])
    item = next(e for e in events if str(e["UID"]).startswith("action-item-"))
    assert str(item["DESCRIPTION"]).startswith("Skriv\nEND:VEVENT\n\nFra referatet fra A\nBEGIN:VEVENT\nSUMMARY:x")


def test_calendar_name_is_one_line_without_control_characters(client, manager, contact_oslo, hostile_meeting):
    client.force_login(contact_oslo)

    calendar = parse(client.get(reverse("meetings:meeting_ics", args=[hostile_meeting.pk])))

    assert str(calendar["X-WR-CALNAME"]) == "A BEGIN:VEVENT SUMMARY:x"
    assert str(calendar["NAME"]) == "A BEGIN:VEVENT SUMMARY:x"
