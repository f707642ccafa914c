"""The personal calendar feed: a person's meetings and the deadlines that
concern them, at a secret address a calendar client subscribes to.

Calendar clients cannot log in, so the address itself is the key: the
`calendar_token` of the person's profile. Making a new key revokes the old
address at once.
"""

import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actionplans.models import ActionProgramme
from cities import rules as cities_rules
from cities.models import Profile, language_of
from lib.mail import absolute_url
from meetings.calendar import OSLO, absolute_meeting_url, all_day_event, ical_response, meeting_event, to_ical, uid
from meetings.models import ActionItem, Meeting, Minutes
from meetings.rules import visible_meetings

# How far back and ahead the feed reaches.
WINDOW = datetime.timedelta(days=365)
# How often a client should fetch the feed again (a hint; clients choose).
REFRESH = datetime.timedelta(hours=1)


def meetings_of(user, now):
    """The meetings `user` may see, from a year back: those they are invited to,
    organise (programme management, leader of one of its networks) or host
    (contact of the host city)."""
    meetings = visible_meetings(user, Meeting.objects.filter(ends_at__gte=now - WINDOW))
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
    events = [meeting_event(meeting) for meeting in meetings_of(user, now)]
    for programme in deadlines_of(user, now):
        url = absolute_url(reverse("actionplans:programme_detail", args=[programme.pk]))
        events.append(
            all_day_event(
                uid("deadline", programme.round_id, programme.city_id),
                programme.effective_due_date,
                _("Deadline: %(round)s, %(city)s") % {"round": programme.round.name, "city": programme.city.name},
                description=_("The action programme is due by the end of the day. Status: %(status)s.")
                % {"status": programme.get_status_display()}
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


def calendar_feed(request, token):
    """The feed at the secret address; no login (the address is the key)."""
    profile = Profile.objects.select_related("user").filter(calendar_token=token, user__is_active=True).first()
    if profile is None:
        raise Http404
    user = profile.user
    with translation.override(language_of(user)):
        content = to_ical(
            feed_events(user, timezone.now()),
            name=_("Cities of the Future: %(name)s") % {"name": user.get_full_name() or user.username},
            refresh_interval=REFRESH,
        )
    return ical_response(content, filename="framtidens-byer.ics")


def new_calendar_token(user):
    """Give `user` a new secret feed address; the old one stops working. Returns the token."""
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.calendar_token = secrets.token_urlsafe(32)
    profile.save(update_fields=["calendar_token"])
    return profile.calendar_token


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """The user's feed address, and a button that makes a new one."""
    if request.method == "POST":
        new_calendar_token(request.user)
        messages.success(request, _("You have a new calendar address. The old one no longer works."))
        return redirect("calendar_settings")
    token = Profile.objects.filter(user=request.user).values_list("calendar_token", flat=True).first()
    feed_url = absolute_url(reverse("calendar_feed", args=[token])) if token else None
    return render(request, "portal/calendar.html", {"feed_url": feed_url})
