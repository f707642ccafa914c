"""The dashboard's figures: where a round stands, as plain data.

Each function takes the user and returns only what that user may read on the
other pages (the same `visible_to` querysets and rules). Each costs a fixed
number of queries whatever the number of cities: annotations and aggregates in
the database, never a query per row. The rows are lists of dictionaries, shared
by the dashboard's template, its charts (`reporting.charts`) and the reports.
"""

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from actionplans.access import programmes_visible_to, sees_every_programme
from actionplans.models import (
    OSLO,
    ActionProgramme,
    AgreementKind,
    ExtensionRequest,
    ProgrammeState,
    Review,
    programme_state,
)
from agreements.access import agreements_visible_to
from agreements.models import Agreement
from cities.models import City, ThemeArea
from lib.formats import person_name
from meetings.access import action_items_visible_to, meetings_visible_to
from meetings.models import ActionItem, Meeting
from reporting import effects
from results import progress
from state import overview as state_overview

NEXT_MEETINGS = 5
# The cities' table a page at a time, and of the other lists the first rows and how many in all:
# the dashboard costs the same for 13 cities and for 10,000.
CITIES_PER_PAGE = 50
DASHBOARD_ROWS = 10


def deadline(round_, now=None):
    """The round's deadline and the whole days left to it (negative once passed)."""
    due = getattr(round_, "deadline", None) if round_ is not None else None
    if due is None:
        return None
    return {"round": round_.name, "slug": round_.slug, "due_date": due.due_date, "days_left": due.days_left(now)}


def _city_programmes(user, round_):
    """The round's programmes `user` may read, by city name, with what a row of `city_statuses` reads."""
    theme_reviews = Review.objects.filter(programme=OuterRef("pk"), theme_area__isnull=False).order_by()
    completed = theme_reviews.filter(status=Review.Status.COMPLETED).values("programme").annotate(n=Count("pk"))
    pending = ExtensionRequest.objects.filter(programme=OuterRef("pk"), status=ExtensionRequest.Status.PENDING)
    return (
        programmes_visible_to(user)
        .filter(round=round_)
        .select_related("city", "submitted_draft")
        .annotate(
            reviews_completed=Coalesce(Subquery(completed.values("n")), 0),
            extension_pending=Exists(pending),
        )
        .order_by("city__name", "pk")
    )


def _city_rows(user, round_, programmes, theme_count):
    reviews = user.has_perm("actionplans.view_reviews")
    if not reviews:
        theme_count = 0
    elif theme_count is None:
        theme_count = ThemeArea.objects.count()
    round_due = round_.deadline.due_date if hasattr(round_, "deadline") else None
    rows = []
    for p in programmes:
        state = p.state
        extended = bool(p.extended_due_date) and p.extended_due_date != round_due
        rows.append(
            {
                "programme_id": p.pk,
                "city": p.city.name,
                "city_slug": p.city.slug,
                "status": state.value,
                "status_label": state.label,
                "due_date": p.extended_due_date if extended else round_due,
                "extended": extended,
                "extension_pending": p.extension_pending,
                "submitted_at": p.submitted_at if p.is_submitted else None,
                "on_time": p.submitted_on_time if p.is_submitted else None,
                "submitted_version": p.submitted_draft.number if p.is_submitted and p.submitted_draft else None,
                "reviews_completed": p.reviews_completed if reviews else None,
                "reviewed": bool(reviews and theme_count and p.is_submitted and p.reviews_completed >= theme_count),
            }
        )
    return rows


def city_statuses(user, round_, *, theme_count=None):
    """Every programme of the round that `user` may read: its state (`ProgrammeState`, the one
    vocabulary), its city's own deadline and whether an extension is granted or asked for, its
    submission and (for those who may see the reviews) how many theme reviews are completed.

    `theme_count` (how many theme areas there are) may be given by a caller that has counted them."""
    if round_ is None:
        return []
    return _city_rows(user, round_, _city_programmes(user, round_), theme_count)


def city_status_page(user, round_, number, *, per_page=CITIES_PER_PAGE, theme_count=None, count=None):
    """One page of `city_statuses`, cut in the database: page `number` (any text; a page that is
    not there gives the first or the last). Its `paginator.count` is how many programmes `user` may
    read in the round: `count` when the caller has counted them (`state_counts`), else one query."""
    programmes = _city_programmes(user, round_) if round_ is not None else ActionProgramme.objects.none()
    paginator = Paginator(programmes, per_page)
    if count is not None:
        paginator.count = count  # a cached property: the count query is not made again
    page = paginator.get_page(number)
    page.object_list = _city_rows(user, round_, page.object_list, theme_count) if round_ is not None else []
    return page


def _state_rows(counts):
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in ProgrammeState.choices]


def _count_states(groups):
    """`_state_rows` of (stored status, whether submitted once, on time, how many) groups."""
    counts = dict.fromkeys(ProgrammeState.values, 0)
    for status, has_submission, on_time, n in groups:
        counts[programme_state(status, True if has_submission else None, on_time)] += n
    return _state_rows(counts)


def _state_groups(round_):
    """The round's programmes grouped in the database by what their state is made of: a handful
    of rows whatever the number of cities."""
    return (
        ActionProgramme.objects.filter(round=round_)
        .annotate(has_submission=ExpressionWrapper(Q(submitted_at__isnull=False), output_field=BooleanField()))
        .order_by()
    )


def status_counts(round_, rows=None):
    """How many of the round's programmes are in each `ProgrammeState`, every state listed.

    The whole round, whoever asks: that a city has not started or has submitted is no secret
    in the programme (what a programme says is); the list beside it is what the reader may open.
    `rows` (from `city_statuses`) may be given when they are the whole round: no query then.
    """
    if rows is not None:
        counts = dict.fromkeys(ProgrammeState.values, 0)
        for row in rows:
            counts[row["status"]] += 1
        return _state_rows(counts)
    if round_ is None:
        return _count_states([])
    groups = _state_groups(round_).values_list("status", "has_submission", "submitted_on_time")
    return _count_states(groups.annotate(n=Count("pk")))


def state_counts(user, round_):
    """`status_counts` of the whole round, and how many of its programmes `user` may read, in one query."""
    if round_ is None:
        return _count_states([]), 0
    visible = (
        Value(True)
        if sees_every_programme(user)
        else ExpressionWrapper(Q(pk__in=programmes_visible_to(user).values("pk")), output_field=BooleanField())
    )
    groups = list(
        _state_groups(round_)
        .annotate(visible=visible)
        .values_list("status", "has_submission", "submitted_on_time", "visible")
        .annotate(n=Count("pk"))
    )
    return (
        _count_states((status, has, on_time, n) for status, has, on_time, _visible, n in groups),
        sum(n for *_fields, visible, n in groups if visible),
    )


STARTED = [s.value for s in Review.Status if s != Review.Status.NOT_STARTED]


def _review_annotations(round_):
    submitted = ActionProgramme.objects.filter(round=round_, status=ActionProgramme.Status.SUBMITTED)
    # The number of submitted programmes, on every theme's row of the same query.
    total = Subquery(submitted.order_by().values("round").annotate(n=Count("pk")).values("n"))
    # Subqueries per theme, not a join with GROUP BY: a grouped join would work out the effect's
    # subqueries (`_effect_annotations`) once per review row when both are in one query.
    reviews = Review.objects.filter(theme_area=OuterRef("pk"), programme__in=submitted.values("pk")).order_by()

    def count(status):
        return Coalesce(
            Subquery(reviews.filter(status=status).values("theme_area").annotate(n=Count("pk")).values("n")), 0
        )

    return {"submitted_total": Coalesce(total, 0), **{status: count(status) for status in STARTED}}


def _progress_row(theme):
    return {
        "code": theme.code,
        "name": theme.name,
        "submitted": theme.submitted_total,
        "not_started": theme.submitted_total - sum(getattr(theme, status) for status in STARTED),
        **{status: getattr(theme, status) for status in STARTED},
    }


def review_progress(user, round_):
    """Per theme area, how many of the round's submitted programmes are in each review status.

    Only for those who may see the reviews; an empty list for others.
    """
    if round_ is None or not user.has_perm("actionplans.view_reviews"):
        return []
    # Explicit order: Django leaves Meta.ordering out of a query with GROUP BY.
    themes = ThemeArea.objects.annotate(**_review_annotations(round_)).order_by("order", "code")
    return [_progress_row(theme) for theme in themes]


def themes_summary(user, round_):
    """`effect_by_theme` and `review_progress` together, from one query."""
    if round_ is None:
        return [], []
    reviews = user.has_perm("actionplans.view_reviews")
    themes = ThemeArea.objects.annotate(
        **effects.effect_annotations(user, round_), **(_review_annotations(round_) if reviews else {})
    ).order_by("order", "code")
    return [effects.effect_row(theme) for theme in themes], [
        _progress_row(theme) for theme in themes
    ] if reviews else []


def agreements(user):
    """The agreements `user` may read, counted (with their total value) by status and by kind."""
    visible = Agreement.objects.filter(pk__in=agreements_visible_to(user).values("pk"))
    cells = list(visible.values("status", "kind").annotate(count=Count("pk"), value=Sum("value")).order_by())

    def by(field, choices):
        rows = []
        for value, label in choices:
            mine = [c for c in cells if c[field] == value]
            values = [c["value"] for c in mine if c["value"] is not None]
            rows.append(
                {
                    field: value,
                    "label": label,
                    "count": sum(c["count"] for c in mine),
                    "value": sum(values) if values else None,
                }
            )
        return rows

    return {
        "by_status": by("status", Agreement.Status.choices),
        "by_kind": by("kind", AgreementKind.choices),
        "count": sum(c["count"] for c in cells),
    }


def next_meetings(user, now=None, limit=NEXT_MEETINGS):
    """The next meetings `user` may see, not cancelled, soonest first."""
    meetings = (
        meetings_visible_to(user)
        .upcoming(now)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("host_city")[:limit]
    )
    return [
        {
            "pk": m.pk,
            "title": m.title,
            "kind": m.kind,
            "kind_label": m.get_kind_display(),
            "starts_at": m.starts_at,
            "ends_at": m.ends_at,
            "host_city": m.host_city.name if m.host_city else "",
            "venue": m.venue,
        }
        for m in meetings
    ]


class FirstRows(list):
    """The first rows of a longer list, and in `total` how many the whole list has."""

    def __init__(self, rows, total):
        super().__init__(rows)
        self.total = total


def _first(queryset, limit):
    """The first `limit` objects of `queryset` (all if `limit` is None), and how many it has in
    all: counted by a window in the same query, so a bounded list costs one query."""
    if limit is None:
        objects = list(queryset)
        return objects, len(objects)
    objects = list(queryset.annotate(rows_in_all=Window(Count("pk")))[:limit])
    return objects, objects[0].rows_in_all if objects else 0


def overdue_action_items(user, now=None, limit=None):
    """Open action items past their due date (Oslo) that `user` may read, the longest overdue
    first; the first `limit` of them if given (`FirstRows`: with how many there are in all)."""
    today = timezone.localdate(now or timezone.now(), OSLO)
    items, total = _first(
        action_items_visible_to(user)
        .filter(status=ActionItem.Status.OPEN, due_date__lt=today)
        .select_related("owner", "minutes__meeting")
        .order_by("due_date", "pk"),
        limit,
    )
    rows = [
        {
            "pk": item.pk,
            "text": item.text,
            "owner": person_name(item.owner) if item.owner else "",
            "due_date": item.due_date,
            "days_overdue": (today - item.due_date).days,
            "meeting_id": item.minutes.meeting_id,
            "meeting": item.minutes.meeting.title,
        }
        for item in items
    ]
    return rows if limit is None else FirstRows(rows, total)


def pending_extension_requests(user, now=None, limit=None):
    """Requests for a later deadline waiting for the management's decision, the oldest first (the
    first `limit` of them if given, as `FirstRows`); empty for anyone else."""
    if not user.has_perm("actionplans.decide_extension"):
        return [] if limit is None else FirstRows([], 0)
    requests, total = _first(
        ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
        .select_related("programme__city", "programme__round__deadline", "requested_by")
        .order_by("requested_at", "pk"),
        limit,
    )
    rows = [
        {
            "pk": r.pk,
            "city": r.programme.city.name,
            "round": r.programme.round.name,
            "current_due_date": r.programme.effective_due_date,
            "requested_date": r.requested_date,
            "requested_at": r.requested_at,
            "requested_by": person_name(r.requested_by),
            "reason": r.reason,
        }
        for r in requests
    ]
    return rows if limit is None else FirstRows(rows, total)


def cities_without_contact(limit):
    """The first `limit` cities, by name, with no active city contact (`FirstRows`)."""
    return FirstRows(*_first(City.objects.without_contact().order_by("name"), limit))


def state_answers(user):
    """How the state bodies have answered the cities' requests, all together (`state.overview.totals`:
    asked, answered, offered, refused, open, median_days), for those who may see the overview; else
    None. One query."""
    if not user.has_perm("state.view_overview"):
        return None
    return state_overview.totals()


def state_answers_by_body(user):
    """`state_answers` per body asked (`state.overview.by_body`), for those who may see the overview;
    else None. One query."""
    if not user.has_perm("state.view_overview"):
        return None
    return state_overview.by_body()


def progress_by_theme(user):
    """What the cities' submitted progress reports say, per reporting round (oldest first) and theme area,
    for those who read every theme's reviews; None for the others. One query."""
    if not user.has_perm("actionplans.view_reviews"):
        return None
    return progress.by_theme()


def build(user, round_, now=None, *, page=None, per_page=CITIES_PER_PAGE):
    """What the dashboard shows for `round_`, as far as `user` may read it: counts and sums over
    every city, and of the lists the first rows, with how many there are in all; the cities a page
    (`page`, a page number) at a time. A fixed number of queries whatever the number of cities."""
    now = now or timezone.now()
    by_theme, progress = themes_summary(user, round_)
    total = effects.effect_total_of(by_theme) if round_ is not None else effects.effect_total(user, round_)
    counts, readable = state_counts(user, round_)
    city_page = city_status_page(
        user,
        round_,
        page,
        per_page=per_page,
        theme_count=len(by_theme) if round_ is not None else None,
        count=readable,
    )
    return {
        "deadline": deadline(round_, now),
        "cities": list(city_page),
        "city_page": city_page,
        "cities_shown": city_page.paginator.count,
        "status_counts": counts,
        "round_total": sum(row["count"] for row in counts),
        "shows_reviews": user.has_perm("actionplans.view_reviews"),
        "review_progress": progress,
        "effect_by_theme": by_theme,
        "effect_by_city": effects.effect_by_city_top(user, round_, total=total),
        "effect_total": total,
        "agreements": agreements(user) if user.has_perm("agreements.list_agreements") else None,
        "meetings": next_meetings(user, now) if user.has_perm("meetings.list_meetings") else None,
        # The first rows, each list with its `total`.
        "action_items": overdue_action_items(user, now, limit=DASHBOARD_ROWS),
        "extension_requests": pending_extension_requests(user, now, limit=DASHBOARD_ROWS),
        "decides_extensions": user.has_perm("actionplans.decide_extension"),
        "state_answers": state_answers(user),
        "progress": progress_by_theme(user),
        # Who manages people is told which cities nobody would hear from.
        "without_contact": (
            cities_without_contact(DASHBOARD_ROWS) if user.has_perm("people.view_people") else FirstRows([], 0)
        ),
    }
