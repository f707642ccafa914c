"""Reporting's pages: the dashboard's charts, exports, the status and city reports, and report jobs."""

import datetime

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from slugify import slugify

from actionplans.models import OSLO, Round
from cities.models import City
from reporting import charts, dashboard, effects, exports, reports, services
from reporting.access import get_job_for_user
from reporting.models import ExportJob

CITIES_PER_PAGE = 50

# Chart name -> (its rows from the dashboard, its drawing).
CHARTS = {
    "effect-by-theme": (effects.effect_by_theme, charts.effect_by_theme_svg),
    "effect-by-city": (effects.effect_by_city_top, charts.effect_by_city_svg),
    "agreements-by-status": (
        lambda user, round_: dashboard.agreements(user)["by_status"],
        charts.agreements_by_status_svg,
    ),
}


def dashboard_context(request, round_):
    """The dashboard of `round_` for the landing page, or None for those who may not see it."""
    if not request.user.has_perm("portal.view_dashboard"):
        return None
    # The counts cover every city; the table shows them a page at a time, cut in the database.
    board = dashboard.build(
        request.user, round_, timezone.now(), page=request.GET.get("page"), per_page=CITIES_PER_PAGE
    )
    board["texts"] = {
        "effect_by_theme": charts.text_alternative(
            board["effect_by_theme"], "name", "effect", unit=_("t CO₂e per year")
        ),
        "effect_by_city": charts.text_alternative(board["effect_by_city"], "city", "effect", unit=_("t CO₂e per year")),
        "agreements_by_status": charts.text_alternative(
            board["agreements"]["by_status"] if board["agreements"] else [], "label", "count", decimals=0
        ),
    }
    return board


@login_required
# pygal styles its SVG with a <style> element; the relaxed policy is this image's only.
@csp_update({"style-src": ["'self'", "'unsafe-inline'"]})
def dashboard_chart(request, name):
    """One of the dashboard's charts as SVG, for the current round, with what the user may read."""
    if not request.user.has_perm("portal.view_dashboard"):
        raise PermissionDenied
    if name not in CHARTS:
        raise Http404
    gather, draw = CHARTS[name]
    width = request.GET.get("width", "")
    width = int(width) if width.isdigit() and int(width) in charts.WIDTHS else charts.WIDTH
    svg = draw(gather(request.user, Round.objects.current()), width=width)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export(request, table, fmt):
    """A list as a CSV or XLSX file, with the page's filters and permissions (see `reporting.exports`).

    The CSV is streamed, however long. An XLSX of more rows than EXPORT_XLSX_INLINE_ROWS is built
    in the background: its address then shows the button that asks for that (a GET starts nothing).
    """
    chosen = exports.table_for(request.user, table, fmt, request.GET)
    if fmt == "csv":
        return exports.csv_response(chosen, request.GET)
    rows = chosen.count()
    if rows > settings.EXPORT_XLSX_INLINE_ROWS:
        # The form names the list itself: a filter called "table" would name another one.
        filters = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in ("dialect", "table")
            for value in values
        ]
        return render(
            request,
            "reporting/export_start.html",
            {"table": table, "title": chosen.title, "rows": rows, "filters": filters},
        )
    return exports.xlsx_response(chosen)


@login_required
@require_POST
def export_job_start(request):
    """Have a list built as XLSX in the background, with the filters the form carries; then watch its page.

    The same refusals as the export itself: 404 for an unknown list, the list's own 403 or 404.
    """
    params = request.POST.copy()
    table = (params.pop("table", None) or [""])[-1]
    for name in ("csrfmiddlewaretoken", "dialect"):
        params.pop(name, None)
    exports.table_for(request.user, table, "xlsx", params)
    if len(params.urlencode()) > ExportJob._meta.get_field("params").max_length:
        return HttpResponseBadRequest(
            _("The export was not made: the filters are too long."), content_type="text/plain; charset=utf-8"
        )
    job = services.start_export_job(request.user, table, params, language=request.LANGUAGE_CODE)
    return redirect("export_job", pk=job.pk)


def _job_page(request, job, template, **context):
    """How far a background job is: the page reloads itself every 2 seconds (no JavaScript)
    until the job is done, failed or stalled, or the reader turns it off (`?refresh=off`)."""
    stalled = job.is_stalled()
    refresh = job.is_waiting and not stalled and request.GET.get("refresh") != "off"
    slow = job.status == job.Status.PENDING and job.created_at < timezone.now() - datetime.timedelta(minutes=2)
    response = render(request, template, {"job": job, "refresh": refresh, "stalled": stalled, "slow": slow, **context})
    if refresh:
        response["Refresh"] = "2"
    return response


def _job_file(job, filename, content_type):
    """The file a finished job made, as a private download; 404 before it is done or once it is gone."""
    if job.status != job.Status.DONE or not job.file:
        raise Http404
    try:
        file = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export_job(request, pk):
    """How far a background export is (`_job_page`)."""
    job, table = exports.get_export_job_for_user(request.user, pk)
    return _job_page(request, job, "reporting/export_job.html", title=table.title)


@login_required
def export_job_download(request, pk):
    """The spreadsheet a background export made, for the one who asked for it."""
    job, _table = exports.get_export_job_for_user(request.user, pk)
    return _job_file(job, job.filename, exports.XLSX_TYPE)


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
        return render(request, "reporting/report_start.html", {"round": round_, "programmes": programmes})
    now = timezone.now()
    pdf = reports.render_status_report(request.user, round_, language=language, now=now)
    return _pdf_response(pdf, reports.status_report_filename(round_, now, language))


@login_required
@require_POST
def report_job_start(request):
    """Have the status report of the round in the form built in the background; then watch its page."""
    if not request.user.has_perm("reports.view_status_report"):
        raise PermissionDenied
    round_ = chosen_round(request, request.POST)
    job = services.start_status_report(request.user, round_, language=request.LANGUAGE_CODE)
    return redirect("report_job", pk=job.pk)


@login_required
def report_job(request, pk):
    """How far a background report is (`_job_page`)."""
    return _job_page(request, get_job_for_user(request.user, pk), "reporting/report_job.html")


@login_required
def report_job_download(request, pk):
    job = get_job_for_user(request.user, pk)
    filename = reports.status_report_filename(job.round, job.finished_at, job.language) if job.finished_at else ""
    return _job_file(job, filename, "application/pdf")


@login_required
def city_report(request, slug):
    """A city's report: for the programme management, and for the city's own contacts."""
    city = get_object_or_404(City.objects.select_related("county"), slug=slug)
    if not request.user.has_perm("reports.view_city_report", city):
        raise PermissionDenied
    now = timezone.now()
    language = request.LANGUAGE_CODE
    pdf = reports.render_city_report(request.user, city, language=language, now=now)
    with translation.override(language):
        filename = f"{slugify(_('report'))}-{city.slug}-{timezone.localdate(now, OSLO):%Y-%m-%d}.pdf"
    return _pdf_response(pdf, filename)
