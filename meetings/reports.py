"""A meeting's minutes as PDF, rendered with the fetcher that reads only our static files."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lib.formats import person_name
from lib.pdf import PAGE, PAGES, render_pdf
from meetings.models import ActionItem, Decision, Invitation, Minutes

# The page footer's "Page 3 of 12": WeasyPrint fills the two spans with its page counters.


def minutes_with_parts(meeting):
    """The meeting's minutes with their decisions and action items; None if there are none."""
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        .select_related("approved_by")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("deadline_extension__deadline__round")),
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
        )
        .first()
    )
    if minutes is not None:
        minutes.meeting = meeting
    return minutes


@dataclass(frozen=True)
class Attendance:
    """Who attended a meeting, by name; `recorded` False while the organisers have not recorded
    attendance, and `names` are then those who said they would come."""

    names: list
    recorded: bool


def attendees(meeting):
    """Who attended `meeting`, from its invitations' attendance (one query)."""
    invitations = (
        meeting.invitations.filter(Q(attended__isnull=False) | Q(response=Invitation.Response.ATTENDING))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    invitations = list(invitations)
    recorded = any(i.attended is not None for i in invitations)
    came = [i for i in invitations if (i.attended if recorded else i.response == Invitation.Response.ATTENDING)]
    return Attendance(names=[person_name(i.user) for i in came], recorded=recorded)


def render_minutes_pdf(minutes, *, language, now=None):
    """The minutes of `minutes.meeting` as PDF bytes, in `language`."""
    with translation.override(language):
        html = render_to_string(
            "pdf/minutes.html",
            {
                "meeting": minutes.meeting,
                "minutes": minutes,
                "attendance": attendees(minutes.meeting),
                "now": now or timezone.now(),
                "page": PAGE,
                "pages": PAGES,
            },
        )
    return render_pdf(html)
