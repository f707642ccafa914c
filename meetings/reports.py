"""A meeting's minutes as PDF, rendered with the fetcher that reads only our static files."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lib.pdf import PAGE, PAGES, render_pdf
from meetings.models import ActionItem, Decision, Minutes

# The page footer's "Page 3 of 12": WeasyPrint fills the two spans with its page counters.


def minutes_with_parts(meeting):
    """The meeting's minutes with their decisions and action items; None if there are none."""
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("approved_by")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("deadline_extension__deadline__round")),
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
        )
        .first()
    )


def render_minutes_pdf(minutes, *, language, now=None):
    """The minutes of `minutes.meeting` as PDF bytes, in `language`."""
    with translation.override(language):
        html = render_to_string(
            "pdf/minutes.html",
            {
                "meeting": minutes.meeting,
                "minutes": minutes,
                "now": now or timezone.now(),
                "page": PAGE,
                "pages": PAGES,
            },
        )
    return render_pdf(html)
