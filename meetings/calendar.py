"""Meetings as iCalendar (RFC 5545): one meeting as a download, and the
personal calendar feed: a person's meetings and the deadlines that concern
them, at a secret address a calendar client subscribes to (the views are in
meetings/views/calendar.py).

Calendar clients cannot log in, so the address itself is the key: the
`calendar_token` of the person's profile. Making a new key revokes the old
address at once.

Times go out with TZID=Europe/Oslo and its VTIMEZONE, so a calendar abroad
shows them right; a UID per meeting lets a client update an event it has
already imported instead of adding a copy.

Every property goes through the icalendar library, which escapes and folds
it; text is cleaned of control characters first (`ical_text`), so that no
title, venue or description can end a line or start a component of its own.
"""

import datetime
import re
import secrets
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from slugify import slugify

from actionplans.models import ActionProgramme
from cities import rules as cities_rules
from cities.models import Profile
from lib.mail import absolute_url
from meetings.access import meetings_visible_to
from meetings.models import ActionItem, Meeting, Minutes

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


def meeting_dates(meeting):
    """The meeting's day, or first and last day, as dd.mm.yyyy in Oslo."""
    first, last = timezone.localdate(meeting.starts_at, OSLO), timezone.localdate(meeting.ends_at, OSLO)
    return f"{first:%d.%m.%Y}" if first == last else f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"


def meeting_file(meeting):
    """(filename, content) of one meeting as an .ics file: for the download and the invitation mail."""
    content = to_ical([meeting_event(meeting)], name=meeting.title)
    filename = f"{slugify(meeting.title) or _('meeting')}-{meeting.starts_at.astimezone(OSLO):%Y%m%d}.ics"
    return filename, content


def ical_response(content, *, filename=None):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# How far back and ahead the feed reaches.
WINDOW = datetime.timedelta(days=365)
# How often a client should fetch the feed again (a hint; clients choose).
REFRESH = datetime.timedelta(hours=1)


def meetings_of(user, now):
    """The meetings `user` may see, from a year back: those they are invited to,
    organise (programme management, leader of one of its networks) or host
    (contact of the host city)."""
    meetings = meetings_visible_to(user, Meeting.objects.filter(ends_at__gte=now - WINDOW))
    return meetings.select_related("host_city").order_by("starts_at", "pk")


def deadlines_of(user, now):
    """The action programmes of the user's cities whose effective deadline is within a year either way."""
    today = timezone.localdate(now, OSLO)
    return (
        ActionProgramme.objects.filter(city__in=cities_rules.city_ids(user))
        .annotate(due=Coalesce("extended_due_date", "round__deadline__due_date"))
        .filter(due__gte=today - WINDOW, due__lte=today + WINDOW)
        .select_related("city", "round__deadline")
        .order_by("due", "city__name")
    )


def action_items_of(user, now):
    """The user's open action items with a due date from a year back, of published minutes only:
    a draft's or an approved but unpublished item reaches nobody yet."""
    today = timezone.localdate(now, OSLO)
    return (
        ActionItem.objects.filter(
            owner=user,
            minutes__status=Minutes.Status.PUBLISHED,
            status=ActionItem.Status.OPEN,
            due_date__isnull=False,
            due_date__gte=today - WINDOW,
        )
        .select_related("minutes__meeting")
        .order_by("due_date", "pk")
    )


def feed_events(user, now):
    """The events of `user`'s feed: their meetings, their cities' deadlines and their action items."""
    events = [meeting_event(meeting) for meeting in meetings_of(user, now)]
    for programme in deadlines_of(user, now):
        url = absolute_url(reverse("actionplans:programme_detail", args=[programme.pk]))
        events.append(
            all_day_event(
                uid("deadline", programme.round_id, programme.city_id),
                programme.effective_due_date,
                _("Deadline: %(round)s, %(city)s") % {"round": programme.round.name, "city": programme.city.name},
                description=_("The action programme is due by the end of the day. Status: %(status)s.")
                % {"status": programme.get_state_display()}
                + f"\n\n{url}",
                url=url,
            )
        )
    for item in action_items_of(user, now):
        meeting = item.minutes.meeting
        url = absolute_meeting_url(meeting)
        origin = _("From the minutes of %(meeting)s") % {"meeting": meeting.title}
        events.append(
            all_day_event(
                uid("action-item", item.pk),
                item.due_date,
                _("Action item: %(text)s") % {"text": Truncator(item.text).chars(80)},
                description=f"{item.text}\n\n{origin}\n\n{url}",
                url=url,
            )
        )
    return events


def new_calendar_token(user):
    """Give `user` a new secret feed address; the old one stops working. Returns the token."""
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.calendar_token = secrets.token_urlsafe(32)
    profile.save(update_fields=["calendar_token"])
    return profile.calendar_token
