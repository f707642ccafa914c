"""Printed reports: the programme's status report and a city's own report, as PDF.

The figures come from `portal.dashboard` (the same rows, the same
permissions as the dashboard) and the charts from `portal.charts`; the
templates are under `templates/pdf/`; `lib.pdf.render_pdf` turns the
HTML into PDF with a fetcher that reads nothing but our static files.

A status report over more than `REPORT_ASYNC_CITIES` cities is built by a
Celery task (`portal.build_status_report`) into a `ReportJob`, started by a
POST from the page the report's address shows, while the user watches a
progress page; a smaller one is sent at once. Both render in the language of
the person who asked for it, and a job is seen only by that person.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from slugify import slugify

from actionplans.models import OSLO, ActionProgramme, Deadline, Measure, Review, Round
from agreements.models import Agreement
from cities.models import City
from lib.formats import person_name
from lib.pdf import PAGE, PAGES, render_pdf
from meetings.models import ActionItem, Minutes
from meetings.rules import visible_action_items, visible_meetings
from portal import charts, dashboard
from portal.models import ReportJob, report_upload_to

logger = logging.getLogger(__name__)

UPCOMING_MEETINGS = 10
UPCOMING_ITEMS = 15
# The page footer's "Page 3 of 12": WeasyPrint fills the two spans with its page counters.


def _chart(draw, rows):
    """A chart of `portal.charts` as inline SVG markup, which WeasyPrint draws."""
    # pygal's own output, its text escaped by ElementTree.
    return mark_safe(draw(rows).decode())  # noqa: S308 -- pygal output re-serialised by ElementTree, which escapes text


def _today(now):
    return timezone.localdate(now, OSLO)


# The status report ---------------------------------------------------------


def upcoming_deadlines(user, round_, cities, now):
    """What falls due from today: rounds' deadlines, cities' own extended
    deadlines in `round_` (from the `cities` rows), and open action items."""
    today = _today(now)
    rounds = Deadline.objects.filter(due_date__gte=today).select_related("round").order_by("due_date")[:10]
    items = (
        visible_action_items(user)
        .filter(status=ActionItem.Status.OPEN, due_date__gte=today)
        .select_related("owner", "minutes__meeting")
        .order_by("due_date", "pk")[:UPCOMING_ITEMS]
    )
    return {
        "rounds": [{"round": d.round.name, "due_date": d.due_date, "days_left": d.days_left(now)} for d in rounds],
        "extensions": [
            row for row in cities if row["extended"] and not row["submitted_at"] and row["due_date"] >= today
        ],
        "action_items": [
            {
                "text": item.text,
                "owner": person_name(item.owner) if item.owner else "",
                "due_date": item.due_date,
                "meeting": item.minutes.meeting.title,
            }
            for item in items
        ],
    }


def latest_minutes(user):
    """The published minutes of the latest meeting `user` may see, with their decisions; None if there are none."""
    return (
        Minutes.objects.filter(status=Minutes.Status.PUBLISHED, meeting__in=visible_meetings(user).values("pk"))
        .select_related("meeting__host_city")
        .prefetch_related("decisions")
        .order_by("-meeting__starts_at", "-pk")
        .first()
    )


def status_report_context(user, round_, now):
    """Everything the status report shows, as far as `user` may read it. A fixed number of queries."""
    cities = dashboard.city_statuses(user, round_)
    effect_by_city = dashboard.effect_by_city(user, round_)
    effects = {row["slug"]: row for row in effect_by_city}
    # On time or late as pinned at submission, also once the review has started.
    on_time = dict(
        ActionProgramme.objects.filter(round=round_, submitted_at__isnull=False).values_list("pk", "submitted_on_time")
    )
    for row in cities:
        effect = effects.get(row["city_slug"])
        row["effect"] = effect["effect"] if effect else None
        row["measure_count"] = effect["count"] if effect else 0
        row["on_time"] = on_time.get(row["programme_id"]) if row["submitted_at"] else None
    counts = {row["status"]: row["count"] for row in dashboard.status_counts(cities)}
    submitted = [row for row in cities if row["submitted_at"]]
    effect_by_theme = dashboard.effect_by_theme(user, round_)
    agreements = dashboard.agreements(user)
    active = (Agreement.Status.SIGNED, Agreement.Status.ACTIVE)
    return {
        "round": round_,
        "deadline": dashboard.deadline(round_, now),
        "now": now,
        "cities": cities,
        "status_counts": dashboard.status_counts(cities),
        "summary": {
            "cities": len(cities),
            "submitted": len(submitted),
            "late": sum(1 for row in submitted if row["on_time"] is False),
            "not_submitted": len(cities) - len(submitted),
            "extensions": counts[dashboard.CityStatus.EXTENSION_GRANTED],
            "reviewed": counts[dashboard.CityStatus.REVIEWED],
            "agreements_in_force": sum(row["count"] for row in agreements["by_status"] if row["status"] in active),
        },
        "review_progress": dashboard.review_progress(user, round_),
        "effect_total": dashboard.effect_total(user, round_),
        "effect_by_theme": effect_by_theme,
        "effect_by_theme_svg": _chart(charts.effect_by_theme_svg, effect_by_theme),
        "effect_by_city_svg": _chart(charts.effect_by_city_svg, effect_by_city) if effect_by_city else "",
        "agreements": agreements,
        "agreements_svg": _chart(charts.agreements_by_status_svg, agreements["by_status"]),
        "meetings": dashboard.next_meetings(user, now, limit=UPCOMING_MEETINGS),
        "upcoming": upcoming_deadlines(user, round_, cities, now),
        "extension_requests": dashboard.pending_extension_requests(user, now),
        "overdue_items": dashboard.overdue_action_items(user, now),
        "minutes": latest_minutes(user),
        "page": PAGE,
        "pages": PAGES,
    }


def status_report_html(user, round_, *, language, now=None):
    """The status report's HTML in `language`: the same HTML a PDF is made from."""
    with translation.override(language):
        return render_to_string("pdf/status_report.html", status_report_context(user, round_, now or timezone.now()))


def render_status_report(user, round_, *, language, now=None):
    """The status report of `round_` as PDF bytes, in `language`."""
    return render_pdf(status_report_html(user, round_, language=language, now=now))


def status_report_filename(round_, now, language):
    with translation.override(language):
        return f"{slugify(_('status report'))}-{round_.slug}-{_today(now):%Y-%m-%d}.pdf"


# A city's report -----------------------------------------------------------


def city_report_context(user, city, now):
    """A city's programmes (every round `user` may see), their measures and
    reviews, and the agreements it is party to. A fixed number of queries."""
    programmes = list(
        ActionProgramme.objects.visible_to(user)
        .filter(city=city)
        .select_related("round__deadline", "submitted_draft")
        .with_totals()
        .order_by(F("round__deadline__due_date").desc(nulls_last=True), "round__name")
    )
    measures = Measure.objects.filter(programme__in=programmes).select_related("theme_area", "category")
    # Reviewers read every review; the city reads them once the comments are sent.
    reviews = Review.objects.filter(programme__in=programmes).select_related("theme_area")
    readable = {p.pk for p in programmes if user.has_perm("actionplans.read_programme_reviews", p)}
    sent = (Review.Status.COMMENTS_SENT, Review.Status.COMPLETED)
    reviews = [r for r in reviews.order_by("theme_area__order") if r.programme_id in readable or r.status in sent]
    for programme in programmes:
        programme.report_measures = [m for m in measures if m.programme_id == programme.pk]
        programme.report_reviews = [r for r in reviews if r.programme_id == programme.pk]
    agreements = (
        Agreement.objects.filter(pk__in=Agreement.objects.visible_to(user).filter(parties__city=city).values("pk"))
        .prefetch_related("theme_areas")
        .order_by("title")
    )
    return {"city": city, "now": now, "programmes": programmes, "agreements": agreements, "page": PAGE, "pages": PAGES}


def render_city_report(user, city, *, language, now=None):
    with translation.override(language):
        html = render_to_string("pdf/city_report.html", city_report_context(user, city, now or timezone.now()))
    return render_pdf(html)


# Building in the background ------------------------------------------------


def _queue(job_id):
    from portal import tasks

    def send():
        try:
            tasks.build_status_report.delay(str(job_id))
        except Exception:
            # The job stays pending; its page says so after a while, and the user may ask again.
            logger.exception("Could not queue the report job %s", job_id)

    transaction.on_commit(send)


def start_status_report(user, round_, *, language, now=None):
    """Record a job that builds `round_`'s status report for `user`, queued once the transaction commits.

    A job of the same person, round and language that is still waiting is
    reused rather than queued again, so that a second click costs nothing.
    """
    now = now or timezone.now()
    recent = now - datetime.timedelta(seconds=2 * (settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE))
    with transaction.atomic():
        job = ReportJob.objects.filter(
            user=user,
            round=round_,
            language=language,
            status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING],
            created_at__gte=recent,
        ).first()
        if job is None:
            job = ReportJob.objects.create(user=user, round=round_, language=language, created_at=now)
            _queue(job.pk)
    return job


def run_job(job_id, now=None):
    """Build the PDF of a pending job and store it under MEDIA_ROOT/reports/.

    Claims the job with one conditional update: a task that runs twice, or
    after another finished, does nothing. A job left running by a worker
    killed at the hard time limit is taken over, until it has used its
    attempts; then it is marked failed. Any error marks it failed too.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE)
    waiting = Q(status=ReportJob.Status.PENDING) | Q(status=ReportJob.Status.RUNNING, started_at__lt=stale)
    claimed = ReportJob.objects.filter(waiting, pk=job_id, attempts__lt=ReportJob.MAX_ATTEMPTS).update(
        status=ReportJob.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        ReportJob.objects.filter(waiting, pk=job_id).update(
            status=ReportJob.Status.FAILED, finished_at=now, error="Stopped at the time limit too often."
        )
        return
    job = ReportJob.objects.select_related("round__deadline", "user").get(pk=job_id)
    try:
        pdf = render_status_report(job.user, job.round, language=job.language, now=now)
        name = report_upload_to(job, "")
        job.file.storage.delete(name)  # left by a worker stopped before it could finish
        job.file.save(name, ContentFile(pdf), save=False)
    except Exception as error:  # the soft time limit included
        logger.exception("Report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
            status=ReportJob.Status.FAILED, finished_at=timezone.now(), error=str(error)[:300] or type(error).__name__
        )
        return
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        status=ReportJob.Status.DONE, file=job.file.name, finished_at=timezone.now(), error=""
    )


# Views ---------------------------------------------------------------------


def _pdf_response(pdf, filename):
    response = FileResponse(ContentFile(pdf), as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def chosen_round(request, data=None):
    """The round named by ?round=<slug> (or the `round` field of `data`), else the current one; 404 if there is none."""
    slug = (request.GET if data is None else data).get("round")
    if slug:
        return get_object_or_404(Round.objects.select_related("deadline"), slug=slug)
    current = Round.objects.current()
    if current is None:
        raise Http404(_("No round has been opened yet."))
    return current


@login_required
@require_safe
def status_report(request):
    """The status report of a round: sent at once, or, when there are many cities, a page with the
    button that has it built in the background (a GET starts nothing)."""
    if not request.user.has_perm("reports.view_status_report"):
        raise PermissionDenied
    round_ = chosen_round(request)
    language = request.LANGUAGE_CODE
    programmes = round_.programmes.count()
    if programmes > settings.REPORT_ASYNC_CITIES:
        return render(request, "portal/report_start.html", {"round": round_, "programmes": programmes})
    now = timezone.now()
    pdf = render_status_report(request.user, round_, language=language, now=now)
    return _pdf_response(pdf, status_report_filename(round_, now, language))


@login_required
@require_POST
def report_job_start(request):
    """Have the status report of the round in the form built in the background; then watch its page."""
    if not request.user.has_perm("reports.view_status_report"):
        raise PermissionDenied
    round_ = chosen_round(request, request.POST)
    job = start_status_report(request.user, round_, language=request.LANGUAGE_CODE)
    return redirect("report_job", pk=job.pk)


def get_job_for_user(user, pk):
    """The report job, if `user` may see it; else 404, so that its address reveals nothing."""
    job = get_object_or_404(ReportJob.objects.select_related("round"), pk=pk)
    if not user.has_perm("reports.view_report_job", job):
        raise Http404
    return job


@login_required
def report_job(request, pk):
    """How far a background report is: reloads itself every 2 seconds (no JavaScript) until it is ready."""
    job = get_job_for_user(request.user, pk)
    stalled = job.is_stalled()
    refresh = job.is_waiting and not stalled and request.GET.get("refresh") != "off"
    response = render(
        request,
        "portal/report_job.html",
        {
            "job": job,
            "refresh": refresh,
            "stalled": stalled,
            "slow": job.status == ReportJob.Status.PENDING
            and job.created_at < timezone.now() - datetime.timedelta(minutes=2),
        },
    )
    if refresh:
        response["Refresh"] = "2"
    return response


@login_required
def report_job_download(request, pk):
    job = get_job_for_user(request.user, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    try:
        file = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = status_report_filename(job.round, job.finished_at, job.language)
    response = FileResponse(file, as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def city_report(request, slug):
    """A city's report: for the programme management, and for the city's own contacts."""
    city = get_object_or_404(City.objects.select_related("county"), slug=slug)
    if not request.user.has_perm("reports.view_city_report", city):
        raise PermissionDenied
    now = timezone.now()
    language = request.LANGUAGE_CODE
    pdf = render_city_report(request.user, city, language=language, now=now)
    with translation.override(language):
        filename = f"{slugify(_('report'))}-{city.slug}-{_today(now):%Y-%m-%d}.pdf"
    return _pdf_response(pdf, filename)
