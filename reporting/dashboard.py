"""The dashboard's figures: where a round stands, as plain data.

Each function takes the user and returns only what that user may read on the
other pages (the same `visible_to` querysets and rules). Each costs a fixed
number of queries whatever the number of cities: annotations and aggregates in
the database, never a query per row. The rows are lists of dictionaries, shared
by the dashboard's template, its charts (`reporting.charts`) and the reports.
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from actionplans.access import programmes_visible_to, sees_every_programme
from actionplans.models import (
    OSLO,
    ActionProgramme,
    AgreementKind,
    ExtensionRequest,
    Measure,
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

NEXT_MEETINGS = 5
TENTH = Decimal("0.1")


def tonnes(value):
    """A sum of effects as a Decimal with one decimal (SQLite returns float noise); 0 for none."""
    return (value or Decimal(0)).quantize(TENTH)


def deadline(round_, now=None):
    """The round's deadline and the whole days left to it (negative once passed)."""
    due = getattr(round_, "deadline", None) if round_ is not None else None
    if due is None:
        return None
    return {"round": round_.name, "slug": round_.slug, "due_date": due.due_date, "days_left": due.days_left(now)}


def city_statuses(user, round_, *, theme_count=None):
    """Every programme of the round that `user` may read: its state (`ProgrammeState`, the one
    vocabulary), its city's own deadline and whether an extension is granted or asked for, its
    submission and (for those who may see the reviews) how many theme reviews are completed.

    `theme_count` (how many theme areas there are) may be given by a caller that has counted them."""
    if round_ is None:
        return []
    reviews = user.has_perm("actionplans.view_reviews")
    theme_reviews = Review.objects.filter(programme=OuterRef("pk"), theme_area__isnull=False).order_by()
    completed = theme_reviews.filter(status=Review.Status.COMPLETED).values("programme").annotate(n=Count("pk"))
    pending = ExtensionRequest.objects.filter(programme=OuterRef("pk"), status=ExtensionRequest.Status.PENDING)
    programmes = (
        programmes_visible_to(user)
        .filter(round=round_)
        .select_related("city", "submitted_draft")
        .annotate(
            reviews_completed=Coalesce(Subquery(completed.values("n")), 0),
            extension_pending=Exists(pending),
        )
        .order_by("city__name")
    )
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


def status_counts(round_, rows=None):
    """How many of the round's programmes are in each `ProgrammeState`, every state listed.

    The whole round, whoever asks: that a city has not started or has submitted is no secret
    in the programme (what a programme says is); the list beside it is what the reader may open.
    `rows` (from `city_statuses`) may be given when they are the whole round: no query then.
    """
    counts = dict.fromkeys(ProgrammeState.values, 0)
    if rows is not None:
        for row in rows:
            counts[row["status"]] += 1
    elif round_ is not None:
        fields = ActionProgramme.objects.filter(round=round_).values_list("status", "submitted_at", "submitted_on_time")
        for status, submitted_at, on_time in fields:
            counts[programme_state(status, submitted_at, on_time)] += 1
    return [{"status": value, "label": label, "count": counts[value]} for value, label in ProgrammeState.choices]


def review_progress(user, round_):
    """Per theme area, how many of the round's submitted programmes are in each review status.

    Only for those who may see the reviews; an empty list for others.
    """
    if round_ is None or not user.has_perm("actionplans.view_reviews"):
        return []
    submitted = ActionProgramme.objects.filter(round=round_, status=ActionProgramme.Status.SUBMITTED)
    # The number of submitted programmes, on every theme's row of the same query.
    total = Subquery(submitted.order_by().values("round").annotate(n=Count("pk")).values("n"))
    started = [s.value for s in Review.Status if s != Review.Status.NOT_STARTED]
    of_round = Q(reviews__programme__round=round_, reviews__programme__status=ActionProgramme.Status.SUBMITTED)
    # Explicit order: Django leaves Meta.ordering out of a query with GROUP BY.
    themes = ThemeArea.objects.annotate(
        submitted_total=Coalesce(total, 0),
        **{status: Count("reviews", filter=of_round & Q(reviews__status=status)) for status in started},
    ).order_by("order", "code")
    return [
        {
            "code": theme.code,
            "name": theme.name,
            "submitted": theme.submitted_total,
            "not_started": theme.submitted_total - sum(getattr(theme, status) for status in started),
            **{status: getattr(theme, status) for status in started},
        }
        for theme in themes
    ]


def _submitted_programmes(user, round_):
    return programmes_visible_to(user).filter(round=round_, status=ActionProgramme.Status.SUBMITTED).values("pk")


def effect_by_theme(user, round_):
    """Expected effect (t CO2e per year) and number of measures of the submitted programmes, per theme area."""
    if round_ is None:
        return []
    of_submitted = Q(measures__programme__in=_submitted_programmes(user, round_))
    themes = ThemeArea.objects.annotate(
        effect=Sum("measures__expected_effect", filter=of_submitted), count=Count("measures", filter=of_submitted)
    ).order_by("order", "code")
    return [
        {"code": t.code, "name": t.name, "effect": tonnes(t.effect), "count": t.count, "sum": t.effect or 0}
        for t in themes
    ]


def effect_by_city(user, round_):
    """Expected effect (t CO2e per year) and number of measures of each submitted programme with measures, by city."""
    if round_ is None:
        return []
    rows = (
        Measure.objects.filter(programme__in=_submitted_programmes(user, round_))
        .values("programme__city__name", "programme__city__slug")
        .annotate(effect=Sum("expected_effect"), count=Count("pk"))
        .order_by("programme__city__name")
    )
    return [
        {
            "city": row["programme__city__name"],
            "slug": row["programme__city__slug"],
            "effect": tonnes(row["effect"]),
            "count": row["count"],
        }
        for row in rows
    ]


def effect_total_of(by_theme):
    """The total of `effect_by_theme`'s rows: every measure has a theme area, so it is the same
    as `effect_total`, without another query."""
    return {"effect": tonnes(sum(row["sum"] for row in by_theme)), "count": sum(row["count"] for row in by_theme)}


def effect_total(user, round_):
    """The expected effect and number of measures of all the submitted programmes together."""
    if round_ is None:
        return {"effect": tonnes(None), "count": 0}
    total = Measure.objects.filter(programme__in=_submitted_programmes(user, round_)).aggregate(
        effect=Sum("expected_effect"), count=Count("pk")
    )
    return {"effect": tonnes(total["effect"]), "count": total["count"]}


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


def overdue_action_items(user, now=None):
    """Open action items past their due date (Oslo) that `user` may read, the longest overdue first."""
    today = timezone.localdate(now or timezone.now(), OSLO)
    items = (
        action_items_visible_to(user)
        .filter(status=ActionItem.Status.OPEN, due_date__lt=today)
        .select_related("owner", "minutes__meeting")
        .order_by("due_date", "pk")
    )
    return [
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


def pending_extension_requests(user, now=None):
    """Requests for a later deadline waiting for the management's decision; empty for anyone else."""
    if not user.has_perm("actionplans.decide_extension"):
        return []
    requests = (
        ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
        .select_related("programme__city", "programme__round__deadline", "requested_by")
        .order_by("requested_at", "pk")
    )
    return [
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


def build(user, round_, now=None):
    """Everything the dashboard shows for `round_`, as far as `user` may read it."""
    now = now or timezone.now()
    by_theme = effect_by_theme(user, round_)
    cities = city_statuses(user, round_, theme_count=len(by_theme) if round_ is not None else None)
    counts = status_counts(round_, rows=cities if sees_every_programme(user) else None)
    return {
        "deadline": deadline(round_, now),
        "cities": cities,
        "status_counts": counts,
        "round_total": sum(row["count"] for row in counts),
        "shows_reviews": user.has_perm("actionplans.view_reviews"),
        "review_progress": review_progress(user, round_),
        "effect_by_theme": by_theme,
        "effect_by_city": effect_by_city(user, round_),
        "effect_total": effect_total_of(by_theme) if round_ is not None else effect_total(user, round_),
        "agreements": agreements(user) if user.has_perm("agreements.list_agreements") else None,
        "meetings": next_meetings(user, now) if user.has_perm("meetings.list_meetings") else None,
        "action_items": overdue_action_items(user, now),
        "extension_requests": pending_extension_requests(user, now),
        "decides_extensions": user.has_perm("actionplans.decide_extension"),
        # Who manages people is told which cities nobody would hear from.
        "without_contact": list(City.objects.without_contact()) if user.has_perm("people.view_people") else [],
    }
