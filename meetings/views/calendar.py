"""The calendar pages: one meeting as an .ics file, the personal feed at its secret
address, and the page where a user finds (and renews) that address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cities.models import Profile, language_of
from lib.mail import absolute_url
from meetings.calendar import REFRESH, feed_events, ical_response, meeting_file, new_calendar_token, to_ical
from meetings.views.meetings import get_meeting_for_user


@login_required
def meeting_ics(request, pk):
    """One meeting as an .ics file to import into a calendar."""
    meeting = get_meeting_for_user(request.user, pk)
    filename, content = meeting_file(meeting)
    return ical_response(content, filename=filename)


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


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """The user's feed address, how to subscribe to it, and a button that makes a new one."""
    token = Profile.objects.filter(user=request.user).values_list("calendar_token", flat=True).first()
    if request.method == "POST":
        new_calendar_token(request.user)
        if token:
            messages.success(request, _("You have a new calendar address. The old one no longer works."))
        else:
            messages.success(request, _("Your calendar address is ready. Add it in your calendar program."))
        return redirect("calendar_settings")
    feed_url = absolute_url(reverse("calendar_feed", args=[token])) if token else None
    return render(
        request,
        "meetings/calendar_settings.html",
        {"feed_url": feed_url, "webcal_url": webcal(feed_url) if feed_url else None},
    )


def webcal(url):
    """The feed's address with the webcal:// scheme, which opens the calendar program to subscribe."""
    return "webcal://" + url.split("://", 1)[-1]
