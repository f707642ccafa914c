"""Printed reports: the programme's status report and a city's own report, as PDF.

The figures come from `reporting.dashboard` (the same rows, the same
permissions as the dashboard) and the charts from `reporting.charts`; the
templates are under `templates/pdf/`; `lib.pdf.render_pdf` turns the
HTML into PDF with a fetcher that reads nothing but our static files.

A status report over more than `settings.REPORT_APPENDIX_CITIES` cities
is the summary, with the table of every city as an appendix rendered that
many cities at a time, each part its own WeasyPrint document, merged with
pypdf: WeasyPrint's memory and time grow faster than the length of a
document, so the parts keep both bounded by the part, not by the number of
cities. Its pages are numbered on from part to part, without a total.

A status report over more than `REPORT_ASYNC_CITIES` cities is built in the
background (`reporting.services.start_status_report`, `reporting.jobs`);
a smaller one is sent at once (`reporting.views`). Both render in the
language of the person who asked for it.
"""

import io

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from slugify import slugify

from actionplans.access import programmes_visible_to, sees_every_programme
from actionplans.models import OSLO, Deadline, Measure, Review, end_of_day
from agreements.access import agreements_visible_to
from agreements.models import Agreement
from cities.models import City
from lib.formats import person_name
from lib.pdf import PAGE, PAGES, render_pdf, render_pdfs
from meetings.access import action_items_visible_to, meetings_visible_to
from meetings.models import ActionItem, Decision, Minutes
from reporting import charts, dashboard, effects
from results import progress

UPCOMING_MEETINGS = 10
UPCOMING_ITEMS = 15
UPCOMING_EXTENSIONS = 15
WITHOUT_CONTACT_NAMED = 50
MINUTES_IN_REPORT = 5


def _chart(draw, rows):
    """A chart of `reporting.charts` as inline SVG markup, which WeasyPrint draws."""
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
        action_items_visible_to(user)
        .filter(status=ActionItem.Status.OPEN, due_date__gte=today)
        .select_related("owner", "minutes__meeting")
        .order_by("due_date", "pk")[:UPCOMING_ITEMS]
    )
    extensions = [row for row in cities if row["extended"] and not row["submitted_at"] and row["due_date"] >= today]
    return {
        "rounds": [{"round": d.round.name, "due_date": d.due_date, "days_left": d.days_left(now)} for d in rounds],
        # The soonest, and how many in all.
        "extensions": sorted(extensions, key=lambda row: (row["due_date"], row["city"]))[:UPCOMING_EXTENSIONS],
        "extension_count": len(extensions),
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


def round_period(round_):
    """The moments in which `round_` is the current round (`Round.objects.current`): from the end
    of the day the round before it was due, to the end of its own due day (or on, while no round
    is due after it), as (start, end) with None for no bound; None for a round without a deadline."""
    deadline = getattr(round_, "deadline", None)
    if deadline is None:
        return None
    others = Deadline.objects.exclude(round=round_).values_list("due_date", flat=True)
    previous = others.filter(due_date__lt=deadline.due_date).order_by("-due_date").first()
    following = others.filter(due_date__gt=deadline.due_date).exists()
    return (end_of_day(previous) if previous else None, end_of_day(deadline.due_date) if following else None)


def round_minutes(user, round_):
    """The published minutes, newest first, of the meetings `user` may see that belong to `round_`:
    held while it was the current round, or deciding a change of its deadline. With their
    decisions; at most `MINUTES_IN_REPORT`, and how many there are in all."""
    belongs = Q(decisions__deadline_extension__deadline__round=round_)
    period = round_period(round_)
    if period is not None:
        start, end = period
        held = Q(meeting__starts_at__isnull=False)  # every meeting, within the bounds there are
        if start is not None:
            held &= Q(meeting__starts_at__gte=start)
        if end is not None:
            held &= Q(meeting__starts_at__lt=end)
        belongs |= held
    minutes = Minutes.objects.filter(
        pk__in=Minutes.objects.filter(
            belongs, status=Minutes.Status.PUBLISHED, meeting__in=meetings_visible_to(user).values("pk")
        ).values("pk")
    )
    shown = list(
        minutes.select_related("meeting__host_city")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("deadline_extension__deadline__round"))
        )
        .order_by("-meeting__starts_at", "-pk")[:MINUTES_IN_REPORT]
    )
    return {"shown": shown, "count": len(shown) if len(shown) < MINUTES_IN_REPORT else minutes.count()}


def footnotes(cities):
    """The marks the cities table uses, so that only their footnotes are printed: * for a city's
    own (extended) deadline, † for an extension asked for and not decided yet."""
    return {
        "extended": any(row["extended"] for row in cities),
        "pending": any(row["extension_pending"] and not row["extended"] for row in cities),
    }


def status_report_context(user, round_, now):
    """Everything the status report shows, as far as `user` may read it. A fixed number of queries."""
    cities = dashboard.city_statuses(user, round_)
    effect_by_city = effects.effect_by_city(user, round_)
    by_slug = {row["slug"]: row for row in effect_by_city}
    for row in cities:
        effect = by_slug.get(row["city_slug"])
        row["effect"] = effect["effect"] if effect else None
        row["measure_count"] = effect["count"] if effect else 0
    status_counts = dashboard.status_counts(round_, rows=cities if sees_every_programme(user) else None)
    submitted = [row for row in cities if row["submitted_at"]]
    effect_by_theme = effects.effect_by_theme(user, round_)
    agreements = dashboard.agreements(user)
    active = (Agreement.Status.SIGNED, Agreement.Status.ACTIVE)
    return {
        "round": round_,
        "deadline": dashboard.deadline(round_, now),
        "now": now,
        "cities": cities,
        "status_counts": status_counts,
        "round_total": sum(row["count"] for row in status_counts),
        "summary": {
            "cities": len(cities),
            "submitted": len(submitted),
            "late": sum(1 for row in submitted if row["on_time"] is False),
            "not_submitted": len(cities) - len(submitted),
            "extensions": sum(1 for row in cities if row["extended"]),
            "extensions_pending": sum(1 for row in cities if row["extension_pending"]),
            "reviewed": sum(1 for row in cities if row["reviewed"]),
            "agreements_in_force": sum(row["count"] for row in agreements["by_status"] if row["status"] in active),
        },
        "review_progress": dashboard.review_progress(user, round_),
        "effect_total": effects.effect_total(user, round_),
        "effect_by_theme": effect_by_theme,
        "effect_by_theme_svg": _chart(charts.effect_by_theme_svg, effect_by_theme),
        "effect_by_city_svg": _chart(charts.effect_by_city_svg, effect_by_city) if effect_by_city else "",
        "agreements": agreements,
        "agreements_svg": _chart(charts.agreements_by_status_svg, agreements["by_status"]),
        "meetings": dashboard.next_meetings(user, now, limit=UPCOMING_MEETINGS),
        "upcoming": upcoming_deadlines(user, round_, cities, now),
        "extension_requests": dashboard.pending_extension_requests(user, now),
        "overdue_items": dashboard.overdue_action_items(user, now),
        "footnotes": footnotes(cities),
        "minutes": round_minutes(user, round_),
        "state_answers": _state_answers(user),
        **_progress(user),
        "baseline": effects.against_the_baseline(user, round_) if user.has_perm("actionplans.view_reviews") else None,
        **_without_contact(user, round_),
        "page": PAGE,
        "pages": PAGES,
    }


def _state_answers(user):
    """How the state bodies have answered the cities' requests, per body and in all (`state.overview`),
    for those who may see its overview; else None. Programme-wide counts, whatever the round. Two queries."""
    by_body = dashboard.state_answers_by_body(user)
    if by_body is None:
        return None
    return {"by_body": by_body, "total": dashboard.state_answers(user)}


def _progress(user):
    """The progress reports' figures by theme over the rounds, and by city in the latest round reported on
    (its first `REPORT_APPENDIX_CITIES` cities: the rest are in the portal)."""
    by_theme = dashboard.progress_by_theme(user)
    if by_theme is None:
        return {"progress": None, "progress_by_city": [], "progress_cities": 0}
    if not by_theme:
        return {"progress": by_theme, "progress_by_city": [], "progress_cities": 0}
    latest = by_theme[-1]["reporting_round"]
    by_city = progress.by_city([latest])
    return {
        "progress": by_theme,
        "progress_by_city": by_city[: settings.REPORT_APPENDIX_CITIES],
        "progress_cities": len(by_city),
    }


def _without_contact(user, round_):
    """Of the cities in this report (those of the programmes `user` may read in `round_`), those whose
    reminders would reach nobody: the first by name, and how many."""
    names = (
        City.objects.without_contact()
        .filter(pk__in=programmes_visible_to(user).filter(round=round_).values("city"))
        .order_by("name")
        .values_list("name", flat=True)
    )
    named = list(names[:WITHOUT_CONTACT_NAMED])
    return {
        "without_contact": named,
        "without_contact_count": len(named) if len(named) < WITHOUT_CONTACT_NAMED else names.count(),
    }


def status_report_html(user, round_, *, language, now=None):
    """The status report's HTML in `language`: the same HTML a PDF is made from."""
    with translation.override(language):
        return render_to_string("pdf/status_report.html", status_report_context(user, round_, now or timezone.now()))


def render_status_report(user, round_, *, language, now=None):
    """The status report of `round_` as PDF bytes, in `language`: one document, or over more than
    `REPORT_APPENDIX_CITIES` cities the summary and the appendix in parts."""
    with translation.override(language):
        context = status_report_context(user, round_, now or timezone.now())
        if len(context["cities"]) <= settings.REPORT_APPENDIX_CITIES:
            return render_pdf(render_to_string("pdf/status_report.html", context))
        return _with_appendix(context, settings.REPORT_APPENDIX_CITIES)


def _with_appendix(context, per_part):
    """The summary, then the appendix a part at a time, its pages numbered on from the summary's.

    A part's first page number depends on the pages of every part before it, which are known
    only once they are rendered. The cities' rows are nearly always one line each, so every full
    part has as many pages as the first: the first is rendered after the summary, the others
    together (`REPORT_PDF_PROCESSES` at a time) from the numbers that follow, and any part that
    came out longer or shorter has the parts after it rendered again from the right numbers."""
    from pypdf import PdfReader, PdfWriter

    cities = context["cities"]
    context = {**context, "appendix": True, "pages": None}
    # Untagged, every part: pypdf's merge keeps no structure tree, so tags would be lost anyway,
    # and tagged parts one after another grow the process by 30 MB each (`render_pdf`). The
    # same figures and table are in the portal (the dashboard, its cities a page at a time) and
    # in the programmes' CSV export.
    starts = range(0, len(cities), per_part)

    def part(first, first_page):
        rows = cities[first : first + per_part]
        return render_to_string(
            "pdf/status_report_cities.html",
            {
                **context,
                "rows": rows,
                "first": first + 1,
                "last": first + len(rows),
                "total": len(cities),
                "continued": first > 0,
                "first_page": first_page,
            },
        )

    def render(htmls):
        return render_pdfs(
            htmls, processes=settings.REPORT_PDF_PROCESSES, tagged=False, timeout=settings.REPORT_TIME_LIMIT
        )

    # Every part in a process of its own (the summary too), so this one never holds WeasyPrint's memory.
    parts = [PdfReader(io.BytesIO(render([render_to_string("pdf/status_report.html", context)])[0]))]
    while len(parts) <= len(starts):
        done = len(parts) - 1  # the parts rendered and in place
        next_page = sum(len(reader.pages) for reader in parts) + 1
        if done == 0:
            parts.append(PdfReader(io.BytesIO(render([part(starts[0], next_page)])[0])))
            continue
        pages = len(parts[1].pages)  # of a full part, as far as one can tell
        rest = starts[done:]
        htmls = [part(first, next_page + n * pages) for n, first in enumerate(rest)]
        for pdf in render(htmls):
            parts.append(PdfReader(io.BytesIO(pdf)))
            if len(parts[-1].pages) != pages:
                break  # the parts after it were numbered wrong: rendered again from here
    writer = PdfWriter()
    for reader in parts:
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def status_report_filename(round_, now, language):
    with translation.override(language):
        return f"{slugify(_('status report'))}-{round_.slug}-{_today(now):%Y-%m-%d}.pdf"


# A city's report -----------------------------------------------------------


def city_report_context(user, city, now):
    """A city's programmes (every round `user` may see), their measures and
    reviews, and the agreements it is party to. A fixed number of queries."""
    programmes = list(
        programmes_visible_to(user)
        .filter(city=city)
        .select_related("round__deadline", "submitted_draft")
        .with_totals()
        .order_by(F("round__deadline__due_date").desc(nulls_last=True), "round__name")
    )
    measures = Measure.objects.filter(programme__in=programmes).select_related("theme_area", "category")
    # Reviewers read every review; the city reads them once the comments are sent.
    reviews = Review.objects.filter(programme__in=programmes).select_related("theme_area")
    readable = {p.pk for p in programmes if user.has_perm("actionplans.read_programme_reviews", p)}
    sent = Review.CITY_READS
    reviews = [r for r in reviews.order_by("theme_area__order") if r.programme_id in readable or r.status in sent]
    for programme in programmes:
        programme.report_measures = [m for m in measures if m.programme_id == programme.pk]
        programme.report_reviews = [r for r in reviews if r.programme_id == programme.pk]
    agreements = (
        Agreement.objects.filter(pk__in=agreements_visible_to(user).filter(parties__city=city).values("pk"))
        .prefetch_related("theme_areas")
        .order_by("title")
    )
    return {"city": city, "now": now, "programmes": programmes, "agreements": agreements, "page": PAGE, "pages": PAGES}


def render_city_report(user, city, *, language, now=None):
    with translation.override(language):
        html = render_to_string("pdf/city_report.html", city_report_context(user, city, now or timezone.now()))
    return render_pdf(html)
