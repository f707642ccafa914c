"""Meetings as iCalendar (RFC 5545): one meeting as a download, and the
events the personal calendar feed (portal/calendar.py) is built from.

Times go out with TZID=Europe/Oslo and its VTIMEZONE, so a calendar abroad
shows them right; a UID per meeting lets a client update an event it has
already imported instead of adding a copy.

Every property goes through the icalendar library, which escapes and folds
it; text is cleaned of control characters first (`ical_text`), so that no
title, venue or description can end a line or start a component of its own.
"""

import datetime
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from slugify import slugify

from lib.mail import absolute_url
from meetings.models import Meeting
from meetings.views.meetings import get_meeting_for_user

OSLO = ZoneInfo("Europe/Oslo")
PRODID = "-//Framtidens byer//Koordineringsportal//NO"

# Line breaks of every kind become a newline, which icalendar writes as the escape "\\n".
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Every other control character (C0 but \n, DEL, C1) is dropped.
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def ical_text(value):
    """`value` as text fit for an iCalendar property: each line break a newline, no other control character."""
    if value is None:
        return None
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", str(value)))


def ical_line(value):
    """`ical_text` on one line: icalendar writes the calendar's name (NAME, X-WR-CALNAME) unescaped."""
    return " ".join(ical_text(value).split("\n"))


def uid(kind, *keys):
    """A UID that stays the same for the same thing, on this site."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return "-".join([kind, *map(str, keys)]) + f"@{host}"


def absolute_meeting_url(meeting):
    return absolute_url(meeting.get_absolute_url())


def meeting_event(meeting):
    """The meeting as an event. Reads `meeting.host_city`: select it with the meeting."""
    location = ", ".join(part for part in [meeting.venue, meeting.host_city and meeting.host_city.name] if part)
    url = absolute_meeting_url(meeting)
    description = "\n\n".join(part for part in [meeting.get_kind_display(), meeting.description, url] if part)
    return Event.new(
        uid=uid("meeting", meeting.pk),
        summary=ical_text(meeting.title),
        start=meeting.starts_at.astimezone(OSLO),
        end=meeting.ends_at.astimezone(OSLO),
        location=ical_text(location) or None,
        description=ical_text(description),
        url=url,
        status="CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED",
    )


def all_day_event(uid, day, summary, *, description="", url=None):
    """An event on one whole day, as calendars show a deadline."""
    return Event.new(
        uid=uid,
        summary=ical_text(summary),
        start=day,
        end=day + datetime.timedelta(days=1),
        description=ical_text(description) or None,
        url=url,
        transparency="TRANSPARENT",
    )


def to_ical(events, *, name, **properties):
    """The calendar of `events`, with the VTIMEZONE of each time zone they use, as bytes.

    `properties` are further arguments of `icalendar.Calendar.new` (e.g. `refresh_interval`)."""
    calendar = Calendar.new(name=ical_line(name), prodid=PRODID, subcomponents=list(events), **properties)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ical_response(content, *, filename=None):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def meeting_ics(request, pk):
    """One meeting as an .ics file to import into a calendar."""
    meeting = get_meeting_for_user(request.user, pk)
    content = to_ical([meeting_event(meeting)], name=meeting.title)
    filename = f"{slugify(meeting.title) or _('meeting')}-{meeting.starts_at.astimezone(OSLO):%Y%m%d}.ics"
    return ical_response(content, filename=filename)
