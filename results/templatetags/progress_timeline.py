"""A measure's timeline, from its plan to the latest report on it: `{% progress_timeline measure user %}`.

Here, in the app that knows the reports, so that the measure's page (in `actionplans`, below this app) shows
them without importing it. It shows only what `user` may read, oldest first, in a constant number of queries
(the programme, its review of the measure's theme, the agreements, the reports: four)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.access import reviews_visible_to
from actionplans.models import OSLO, ActionProgramme, Review
from agreements.access import agreements_visible_to
from agreements.models import Agreement
from results.access import reports_visible_to
from results.models import MeasureProgress

register = template.Library()


def _day(moment):
    return timezone.localdate(moment, OSLO) if moment else None


def timeline(measure, user):
    """[{kind, date, title, detail, ...}] of what happened to `measure` that `user` may read, oldest first."""
    programme = (
        ActionProgramme.objects.select_related("round__deadline", "city").filter(pk=measure.programme_id).first()
    )
    if programme is None or not user.has_perm("actionplans.view_programme", programme):
        return []
    events = [
        {
            "kind": "planned",
            "date": _day(programme.submitted_at),
            "title": _("Planned in %(round)s") % {"round": programme.round.name},
            "detail": _("Submitted") if programme.submitted_at else _("Not submitted yet"),
        }
    ]
    review = (
        reviews_visible_to(user, programme)
        .filter(theme_area_id=measure.theme_area_id, status=Review.Status.COMPLETED, completed_at__isnull=False)
        .first()
    )
    if review is not None:
        detail = _("the review of %(theme)s was completed") % {"theme": measure.theme_area.name}
        events.append({"kind": "reviewed", "date": _day(review.completed_at), "title": _("Reviewed"), "detail": detail})
    agreements = agreements_visible_to(user).filter(measures=measure).order_by("signed_date", "title", "pk")
    statuses = dict(Agreement.Status.choices)
    for agreement in agreements.values("pk", "title", "status", "signed_date"):
        events.append(
            {
                "kind": "agreement",
                "date": agreement["signed_date"],
                "title": _("Agreement: %(title)s") % {"title": agreement["title"]},
                "detail": str(statuses.get(agreement["status"], agreement["status"])),
                "agreement": agreement["pk"],
            }
        )
    rows = (
        MeasureProgress.objects.filter(measure=measure, report__in=reports_visible_to(user))
        .select_related("report__reporting_round")
        .order_by("report__reporting_round__due_date", "pk")
    )
    for row in rows:
        report = row.report
        events.append(
            {
                "kind": "progress",
                "date": _day(report.submitted_at) or report.reporting_round.due_date,
                "title": _("Reported in %(round)s") % {"round": report.reporting_round.name},
                "detail": str(row.get_status_display()),
                "row": row,
                "report": report,
            }
        )
    order = {"planned": 0, "reviewed": 1, "agreement": 2, "progress": 3}
    # A plan not yet submitted still comes first; an agreement not yet signed after what has a date.
    undated = {"planned": datetime.date.min}
    return sorted(events, key=lambda e: (e["date"] or undated.get(e["kind"], datetime.date.max), order[e["kind"]]))


@register.inclusion_tag("results/_progress_timeline.html")
def progress_timeline(measure, user):
    return {"events": timeline(measure, user), "measure": measure}
