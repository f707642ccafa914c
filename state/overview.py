"""How concrete the state is: the figures of the requests to the state bodies, per body and per theme area,
the median time to an answer, and the open requests that have waited longest.

What is counted:

- *Asked*: every request, except the withdrawn ones, which are left out of every figure (the city no
  longer needs what it asked for; the body had nothing to answer).
- *Answered*: offered, referred, refused or turned into an agreement. *With an offer*: offered or turned
  into an agreement. *Refused*: refused. *Open*: asked or acknowledged, waiting for an answer.
- *Median days to an answer*: over the answered requests, the median of the time from asking
  (`created_at`) to the first answer (`answered_at`), the mean of the two middle ones for an even
  number; in days with one decimal; None while there is no answer.
- *Body*: the body that was asked. A referral is that body's answer; it does not count for the body
  the city was referred to.
- *Theme area*: each request counts under exactly one, so that the rows add up to the total: a request
  for a measure under the measure's theme area; a request for the programme as a whole under its
  instrument's theme area when the instrument belongs to exactly one; every other request (for the
  programme as a whole with no instrument, or with an instrument of several or no theme areas) under
  "Across theme areas" (`ACROSS`).

Who sees it: the figures are programme-wide, the same for everyone who may see the overview (the
programme management and the partners of any state body, `state.view_overview`). They are counts and
dates, never what a request says: not the need, nor the offer, the referral or the reason for a refusal.
The open requests name their city, body, instrument and when they were asked, as the register tells
everyone in the programme that an instrument is in use; a link to a request is given only to those who
may read it, and to a body's list of requests only to those who may list it.

The cost is fixed, whatever the number of requests: one query per table, which counts and finds the
median together in the database (window functions: each group's one or two middle rows, and its
counts on them), one for the names of the theme areas and one for the open requests with how many
there are. No loop over the requests in Python: over at most two rows per group.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from cities.models import Organisation, ThemeArea
from state.models import Instrument, StateRequest

Status = StateRequest.Status
OPEN_SHOWN = 20
ACROSS = "across"  # the theme row of the requests with no single theme area
TENTH = Decimal("0.1")
DAY = datetime.timedelta(days=1)

ANSWERED = Q(status__in=StateRequest.ANSWERED)
WITH_OFFER = Q(status__in=(Status.OFFERED, Status.AGREED))
REFUSED = Q(status=Status.REFUSED)
# What the median is taken over: the answered requests with the moment of their answer.
TIMED = ANSWERED & Q(answered_at__isnull=False)


def counted():
    """The requests every figure counts: all but the withdrawn ones."""
    return StateRequest.objects.exclude(status=Status.WITHDRAWN)


def theme_of_request():
    """The one theme area a request counts under (module docstring), as an expression: None for "across"."""
    instruments_theme = (
        Instrument.theme_areas.through.objects.filter(instrument=OuterRef("instrument"))
        .order_by()
        .values("instrument")
        .annotate(themes=Count("pk"), theme=Min("themearea"))
        .filter(themes=1)
        .values("theme")
    )
    return Coalesce(F("measure__theme_area"), Subquery(instruments_theme))


def _how_many(condition):
    # A sum rather than a filtered count: the same SQL on every database, also as a window function.
    return Sum(Case(When(condition, then=Value(1)), default=Value(0)), output_field=IntegerField())


def _middle_rows(requests, group=None):
    """Of each group of `requests` (by the expression `group`, or all of them as one), the one or two
    rows in the middle of the answered requests ordered by their time to an answer, each with the
    group's counts: `group`, `asked`, `answered`, `offered`, `refused`, `timed` and the row's `wait`.

    The answered requests come first in that order (the others have no wait), numbered 1 … timed; the
    middle ones are those whose number n has timed <= 2n <= timed + 2 (one for an odd number, two for
    an even one; with none answered, the first row, whose wait is None)."""
    partition = [F("group")] if group is not None else None
    wait = Case(
        When(TIMED, then=ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())),
        default=None,
        output_field=DurationField(),
    )

    def per_group(expression, **kwargs):
        return Window(expression, partition_by=partition, **kwargs)

    return (
        requests.order_by()
        .annotate(group=group if group is not None else Value(None, output_field=IntegerField()), wait=wait)
        .annotate(
            asked=per_group(Count("pk")),
            answered=per_group(_how_many(ANSWERED)),
            offered=per_group(_how_many(WITH_OFFER)),
            refused=per_group(_how_many(REFUSED)),
            timed=per_group(_how_many(TIMED)),
            position=per_group(RowNumber(), order_by=[F("wait").asc(nulls_last=True), F("pk").asc()]),
        )
        .filter(GreaterThanOrEqual(F("position") * 2, F("timed")), LessThanOrEqual(F("position") * 2, F("timed") + 2))
    )


def median_days(waits):
    """The median of the one or two middle waits (timedeltas), in days with one decimal; None for none."""
    if not waits:
        return None
    middle = sum(waits, datetime.timedelta()) / len(waits)
    return (Decimal(middle.total_seconds()) / Decimal(DAY.total_seconds())).quantize(TENTH, ROUND_HALF_UP)


def _empty():
    return {"asked": 0, "answered": 0, "offered": 0, "refused": 0, "open": 0, "median_days": None}


def _figures(rows):
    """{group: figures} of `_middle_rows` values (dicts with `group`, the counts and `wait`)."""
    groups = {}
    for row in rows:
        figures = groups.setdefault(
            row["group"],
            {
                "asked": row["asked"],
                "answered": row["answered"],
                "offered": row["offered"],
                "refused": row["refused"],
                "open": row["asked"] - row["answered"],
                "waits": [],
                **{k: v for k, v in row.items() if k.startswith("label_")},
            },
        )
        if row["wait"] is not None:
            figures["waits"].append(row["wait"])
    for figures in groups.values():
        figures["median_days"] = median_days(figures.pop("waits"))
    return groups


FIELDS = ("group", "asked", "answered", "offered", "refused", "timed", "wait")


def totals():
    """The figures of every request together (one query): asked, answered, offered, refused, open, median_days."""
    rows = _middle_rows(counted()).values(*FIELDS)
    return _figures(rows).get(None, _empty())


def by_body():
    """A row of figures for each body that has been asked, by its short name (one query)."""
    rows = _middle_rows(counted(), F("body")).values(
        *FIELDS, label_short_name=F("body__short_name"), label_name=F("body__name")
    )
    figures = _figures(rows)
    return sorted(
        (
            {
                "body_id": pk,
                "short_name": row.pop("label_short_name"),
                "name": row.pop("label_name"),
                **row,
            }
            for pk, row in figures.items()
        ),
        key=lambda row: (row["short_name"].casefold(), row["body_id"]),
    )


def by_theme():
    """A row of figures for every theme area, in their order, and last the requests `ACROSS` theme
    areas (two queries: the figures, and the theme areas' names)."""
    figures = _figures(_middle_rows(counted(), theme_of_request()).values(*FIELDS))
    rows = [
        {"code": theme.code, "theme_id": theme.pk, "name": theme.name, **figures.get(theme.pk, _empty())}
        for theme in ThemeArea.objects.order_by("order", "code")
    ]
    return [*rows, {"code": ACROSS, "theme_id": None, "name": None, **figures.get(None, _empty())}]


def open_requests(user, now=None, limit=OPEN_SHOWN):
    """The open requests, those that have waited longest first: the first `limit`, with how many there are
    in all (`{"rows": …, "total": …}`, one query). Each row says when it was asked, how many days it has
    waited, its body, city, instrument and status, and links only where `user` may follow."""
    today = timezone.localdate(now or timezone.now())
    requests = list(
        StateRequest.objects.filter(status__in=StateRequest.OPEN)
        .select_related("programme__city", "body", "instrument")
        .annotate(in_all=Window(Count("pk")))
        .order_by("created_at", "pk")[:limit]
    )
    rows = [
        {
            "pk": r.pk,
            "created_at": r.created_at,
            "days_waiting": max(0, (today - timezone.localdate(r.created_at)).days),
            "status": r.status,
            "status_label": r.get_status_display(),
            "body_id": r.body_id,
            "body": r.body.short_name,
            "body_name": r.body.name,
            "city": r.programme.city.name,
            "instrument": r.instrument.name if r.instrument else None,
            "readable": user.has_perm("state.view_request", r),
            "body_listed": user.has_perm("state.view_body_requests", r.body),
        }
        for r in requests
    ]
    return {"rows": rows, "total": requests[0].in_all if requests else 0}


def overview(user, now=None):
    """Everything the overview page shows (module docstring), as plain data: a fixed number of queries."""
    bodies = by_body()
    for row in bodies:
        # An organisation of its pk alone is enough for the rule, and costs no query.
        row["listed"] = user.has_perm("state.view_body_requests", Organisation(pk=row["body_id"]))
    return {
        "total": totals(),
        "by_body": bodies,
        "by_theme": by_theme(),
        "open": open_requests(user, now),
    }
