"""Figures across programmes: climate effect totals (groups of similar measures are in `similarity`).

Totals are sums in the database, never loops over measures in Python.
"""

from django.db.models import Count, Sum

from actionplans.models import ActionProgramme, Measure


def effect_totals(round_, *, submitted_only):
    """Expected effect (t CO2e per year) and measure counts by theme area, by city and by status."""
    measures = Measure.objects.filter(programme__round=round_)
    if submitted_only:
        measures = measures.filter(programme__status=ActionProgramme.Status.SUBMITTED)

    def by(*fields):
        return list(
            measures.values(*fields).annotate(effect=Sum("expected_effect"), count=Count("pk")).order_by(*fields)
        )

    return {
        "total": measures.aggregate(effect=Sum("expected_effect"), count=Count("pk")),
        "by_theme": by("theme_area__order", "theme_area__code", "theme_area__name_nb", "theme_area__name_en"),
        "by_city": by("programme__city__name"),
        "by_status": by("status"),
    }


def programme_effect_by_theme(programme):
    """One programme's expected effect per theme area."""
    return list(
        programme.measures.values("theme_area__order", "theme_area__name_nb", "theme_area__name_en")
        .annotate(effect=Sum("expected_effect"), count=Count("pk"))
        .order_by("theme_area__order")
    )


def theme_effect_by_city(round_, theme):
    """One theme's expected effect per city, over the submitted programmes."""
    return dict(
        Measure.objects.filter(
            programme__round=round_, programme__status=ActionProgramme.Status.SUBMITTED, theme_area=theme
        )
        .values("programme__city")
        .annotate(effect=Sum("expected_effect"))
        .values_list("programme__city", "effect")
    )
