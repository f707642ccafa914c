"""Progress over the reporting rounds, for the dashboard and the status report: by theme area and by city,
counts per status, the average share done, money spent and effect now against the effect claimed in the
programmes. Only submitted reports count (a draft is no result yet). Each function is one grouped query;
sums are the database's, never Python's."""

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import get_language

from results.models import AgreementProgress, MeasureProgress, ProgressReport, ProgressStatus

STATUSES = [value for value, _label in ProgressStatus.choices]


def _totals(claimed=None):
    totals = {status: Count("pk", filter=Q(status=status)) for status in STATUSES}
    totals |= {
        "rows": Count("pk"),
        "average_share": Avg("share_done"),
        "total_spent": Sum("spent"),
        "total_effect_now": Sum("effect_now"),
    }
    if claimed:
        totals["total_claimed"] = Sum(claimed)
    return totals


def _scoped(rows, reporting_rounds):
    rows = rows.filter(report__status=ProgressReport.Status.SUBMITTED)
    if reporting_rounds is not None:
        rows = rows.filter(report__reporting_round__in=reporting_rounds)
    return rows


def _english():
    return (get_language() or "nb").startswith("en")


ROUND_FIELDS = ("report__reporting_round", "report__reporting_round__name", "report__reporting_round__due_date")


def _round_of(row):
    return {
        "reporting_round": row.pop("report__reporting_round"),
        "round_name": row.pop("report__reporting_round__name"),
        "due_date": row.pop("report__reporting_round__due_date"),
    }


def by_theme(reporting_rounds=None):
    """[{reporting_round, round_name, due_date, theme_area, theme, not_started, under_way, done, stopped, rows,
    average_share, total_spent, total_effect_now, total_claimed}] of the measures reported on, per round (oldest first) and theme
    area (in their order). One query."""
    rows = (
        _scoped(MeasureProgress.objects.all(), reporting_rounds)
        .values(*ROUND_FIELDS, "measure__theme_area", "measure__theme_area__name_nb", "measure__theme_area__name_en")
        .annotate(**_totals("measure__expected_effect"))
        .order_by("report__reporting_round__due_date", "report__reporting_round", "measure__theme_area__order")
    )
    english = _english()
    result = []
    for row in rows:
        nb, en = row.pop("measure__theme_area__name_nb"), row.pop("measure__theme_area__name_en")
        result.append(
            {**_round_of(row), "theme_area": row.pop("measure__theme_area"), "theme": en if english else nb, **row}
        )
    return result


def by_city(reporting_rounds=None):
    """As `by_theme`, per round and city (by name): [{…, city, city_name, …}]. One query."""
    rows = (
        _scoped(MeasureProgress.objects.all(), reporting_rounds)
        .values(*ROUND_FIELDS, "report__city", "report__city__name")
        .annotate(**_totals("measure__expected_effect"))
        .order_by("report__reporting_round__due_date", "report__reporting_round", "report__city__name")
    )
    return [
        {**_round_of(row), "city": row.pop("report__city"), "city_name": row.pop("report__city__name"), **row}
        for row in rows
    ]


def agreements_by_round(reporting_rounds=None):
    """The obligations reported on, per round: counts per status, average_share, total_spent,
    total_effect_now and how many agreements. One query."""
    rows = (
        _scoped(AgreementProgress.objects.all(), reporting_rounds)
        .values(*ROUND_FIELDS)
        .annotate(**_totals(), agreements=Count("agreement", distinct=True))
        .order_by("report__reporting_round__due_date", "report__reporting_round")
    )
    return [{**_round_of(row), **row} for row in rows]


def with_latest_progress(measures):
    """`measures` with what the latest submitted progress report says of each: `progress_status`,
    `progress_share` and `progress_effect` (None where none reports on it). Subqueries: one query."""
    from django.db.models import OuterRef, Subquery

    latest = MeasureProgress.objects.filter(
        measure=OuterRef("pk"), report__status=ProgressReport.Status.SUBMITTED
    ).order_by("-report__reporting_round__due_date", "-pk")
    return measures.annotate(
        progress_status=Subquery(latest.values("status")[:1]),
        progress_share=Subquery(latest.values("share_done")[:1]),
        progress_effect=Subquery(latest.values("effect_now")[:1]),
    )
