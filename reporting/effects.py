"""The effect figures of the submitted programmes (t CO2e per year): by theme area, by city, and in
all, as the dashboard, its charts and the status report show them. Each is one query whatever the number
of cities, and counts only what the user may read (`programmes_visible_to`)."""

from decimal import Decimal

from django.db.models import Count, F, OuterRef, Subquery, Sum, Window
from django.db.models.functions import Coalesce

from actionplans.access import programmes_visible_to
from actionplans.models import ActionProgramme, Measure
from cities.models import ThemeArea
from reporting.charts import MAX_BARS, other_cities

TENTH = Decimal("0.1")


def tonnes(value):
    """A sum of effects as a Decimal with one decimal (SQLite returns float noise); 0 for none."""
    return (value or Decimal(0)).quantize(TENTH)


def _submitted_programmes(user, round_):
    return programmes_visible_to(user).filter(round=round_, status=ActionProgramme.Status.SUBMITTED).values("pk")


def effect_annotations(user, round_):
    # Subqueries, not a join: the same query may count the theme's reviews.
    measures = (
        Measure.objects.filter(theme_area=OuterRef("pk"), programme__in=_submitted_programmes(user, round_))
        .order_by()
        .values("theme_area")
    )
    return {
        "effect": Subquery(measures.annotate(s=Sum("expected_effect")).values("s")),
        "count": Coalesce(Subquery(measures.annotate(n=Count("pk")).values("n")), 0),
    }


def effect_row(theme):
    return {
        "code": theme.code,
        "name": theme.name,
        "effect": tonnes(theme.effect),
        "count": theme.count,
        "sum": theme.effect or 0,
    }


def effect_by_theme(user, round_):
    """Expected effect (t CO2e per year) and number of measures of the submitted programmes, per theme area."""
    if round_ is None:
        return []
    themes = ThemeArea.objects.annotate(**effect_annotations(user, round_)).order_by("order", "code")
    return [effect_row(theme) for theme in themes]


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


def effect_by_city_top(user, round_, bars=MAX_BARS, *, total=None):
    """`effect_by_city`'s rows for a chart of at most `bars` bars: the cities with the most effect
    first, and when there are more, the rest summed in a last row (`charts.other_cities`).

    One grouped query whatever the number of cities (a window over the grouped rows counts
    them); the rest is `total` (an `effect_total`, as the dashboard has it from its themes)
    less the rows shown, and without it a second query (`effect_total`)."""
    if round_ is None:
        return []
    top = list(
        Measure.objects.filter(programme__in=_submitted_programmes(user, round_))
        .values("programme__city__name", "programme__city__slug")
        .annotate(effect=Sum("expected_effect"), count=Count("pk"), cities=Window(Count("programme__city__slug")))
        .order_by(F("effect").desc(nulls_last=True), "programme__city__name", "programme__city__slug")[:bars]
    )
    rows = [
        {
            "city": row["programme__city__name"],
            "slug": row["programme__city__slug"],
            "effect": tonnes(row["effect"]),
            "count": row["count"],
            "sum": row["effect"] or 0,
        }
        for row in top
    ]
    total = total or effect_total(user, round_)  # asked for always: the same queries for any number of cities
    if not top or top[0]["cities"] <= bars:
        return rows
    shown = rows[: bars - 1]
    return [
        *shown,
        other_cities(
            top[0]["cities"] - len(shown),
            tonnes((total["sum"] or 0) - sum(row["sum"] for row in shown)),
            total["count"] - sum(row["count"] for row in shown),
        ),
    ]


def effect_total_of(by_theme):
    """The total of `effect_by_theme`'s rows: every measure has a theme area, so it is the same
    as `effect_total`, without another query."""
    effect = sum(row["sum"] for row in by_theme)
    return {"effect": tonnes(effect), "sum": effect, "count": sum(row["count"] for row in by_theme)}


def effect_total(user, round_):
    """The expected effect and number of measures of all the submitted programmes together."""
    if round_ is None:
        return {"effect": tonnes(None), "sum": 0, "count": 0}
    total = Measure.objects.filter(programme__in=_submitted_programmes(user, round_)).aggregate(
        effect=Sum("expected_effect"), count=Count("pk")
    )
    return {"effect": tonnes(total["effect"]), "sum": total["effect"] or 0, "count": total["count"]}


def against_the_baseline(user, round_):
    """The submitted programmes' claimed and assessed effect in all, and the emissions of their cities in
    the latest year of the municipal statistics (the baseline they are held against): {claimed, assessed,
    assessed_count, count, year, emissions, cities}; None without a round. Two queries."""
    from emissions.models import Emission

    if round_ is None:
        return None
    submitted = _submitted_programmes(user, round_)
    figures = Measure.objects.filter(programme__in=submitted).aggregate(
        claimed=Sum("expected_effect"),
        assessed=Sum("assessed_effect"),
        assessed_count=Count("assessed_effect"),
        count=Count("pk"),
    )
    cities = ActionProgramme.objects.filter(pk__in=submitted).values("city")
    emissions = Emission.objects.filter(city__in=cities)
    latest = emissions.order_by().values("year").annotate(tonnes=Sum("tonnes"), cities=Count("city", distinct=True))
    latest = latest.order_by("-year").first()
    return {
        "claimed": tonnes(figures["claimed"]),
        "assessed": tonnes(figures["assessed"]) if figures["assessed_count"] else None,
        "assessed_count": figures["assessed_count"],
        "count": figures["count"],
        "year": latest["year"] if latest else None,
        "emissions": tonnes(latest["tonnes"]) if latest else None,
        "cities": latest["cities"] if latest else 0,
    }
