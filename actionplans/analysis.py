"""Figures across programmes: climate effect totals (groups of similar measures are in `similarity`).

Totals are sums in the database, never loops over measures in Python.
"""

from django.db.models import Count, F, Sum, Window
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionProgramme, Measure
from cities.sectors import EmissionSector

# The cities named in the totals by city: those with the most effect; the rest are one row.
CITIES_SHOWN = 20


def effect_totals(round_, *, submitted_only, cities_shown=CITIES_SHOWN):
    """Expected (claimed) effect (t CO2e per year) and measure counts by theme area, by emission
    sector, by status, and of the `cities_shown` cities with the most effect, with the rest summed
    in `other_cities` (None when every city is shown). Each row also has the reviewers' assessed
    effect (`assessed`, summed over the measures that have one) and how many have one
    (`assessed_count`); `assessed` and `other_cities_assessed` are the same for the whole and for
    the cities not named. Five queries, whatever the number of cities."""
    measures = Measure.objects.filter(programme__round=round_)
    if submitted_only:
        measures = measures.filter(programme__status=ActionProgramme.Status.SUBMITTED)
    figures = {
        "effect": Sum("expected_effect"),
        "count": Count("pk"),
        "assessed": Sum("assessed_effect"),
        "assessed_count": Count("assessed_effect"),
    }

    def by(*fields):
        return measures.values(*fields).annotate(**figures)

    whole = measures.aggregate(**figures)
    total = {"effect": whole["effect"], "count": whole["count"]}
    assessed = {"effect": whole["assessed"], "count": whole["assessed_count"]}
    # How many cities there are, on each of the first rows (a window over the grouped rows).
    by_city = list(
        by("programme__city__name")
        .annotate(cities=Window(Count("programme__city__name")))
        .order_by(F("effect").desc(nulls_last=True), "programme__city__name")[:cities_shown]
    )
    others = others_assessed = None
    if by_city and by_city[0]["cities"] > len(by_city):
        others = {
            "cities": by_city[0]["cities"] - len(by_city),
            "effect": (total["effect"] or 0) - sum(row["effect"] or 0 for row in by_city),
            "count": total["count"] - sum(row["count"] for row in by_city),
        }
        count = assessed["count"] - sum(row["assessed_count"] for row in by_city)
        others_assessed = {
            "effect": (assessed["effect"] or 0) - sum(row["assessed"] or 0 for row in by_city) if count else None,
            "count": count,
        }
    return {
        "total": total,
        "assessed": assessed,
        "by_theme": list(
            by("theme_area__order", "theme_area__code", "theme_area__name_nb", "theme_area__name_en").order_by(
                "theme_area__order", "theme_area__code"
            )
        ),
        "by_sector": _by_sector(by("sector")),
        "by_city": by_city,
        "other_cities": others,
        "other_cities_assessed": others_assessed,
        "by_status": list(by("status").order_by("status")),
    }


def _by_sector(rows):
    """The nine sectors in the statistics' order, then the measures of no sector; each sector with
    its figures (none: no measure)."""
    found = {row["sector"]: row for row in rows}
    empty = {"effect": None, "count": 0, "assessed": None, "assessed_count": 0}
    sectors = [(value, label) for value, label in EmissionSector.choices] + [("", _("No sector"))]
    return [{**empty, **found.get(value, {}), "sector": value, "label": label} for value, label in sectors]


def programme_effect_by_theme(programme):
    """One programme's expected effect per theme area."""
    return list(
        programme.measures.values("theme_area__order", "theme_area__name_nb", "theme_area__name_en")
        .annotate(effect=Sum("expected_effect"), count=Count("pk"))
        .order_by("theme_area__order")
    )


def theme_effect_by_city(round_, theme, *, programmes=None):
    """One theme's expected effect per city, over the submitted programmes (those of the ids
    `programmes` only, if given: the cities of one page)."""
    measures = Measure.objects.filter(
        programme__round=round_, programme__status=ActionProgramme.Status.SUBMITTED, theme_area=theme
    )
    if programmes is not None:
        measures = measures.filter(programme__in=programmes)
    return dict(
        measures.values("programme__city")
        .annotate(effect=Sum("expected_effect"))
        .values_list("programme__city", "effect")
    )
