"""Figures across programmes: climate effect totals and groups of similar measures.

Totals are sums in the database, never loops over measures in Python.
"""

import re
from collections import defaultdict

from django.db.models import Count, Sum

from actionplans.models import ActionProgramme, Measure

WORD = re.compile(r"\w+", re.UNICODE)
# Words too common in measure titles to say anything about likeness.
STOPWORDS = frozenset(
    "og i på for til av med som en et de det den nye ny flere mer økt økte the of and for to in a an more new".split()
)
SIMILARITY = 0.34


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


def _words(text):
    return {w for w in WORD.findall(text.lower()) if len(w) > 2 and w not in STOPWORDS}


def _jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def similar_groups(round_):
    """Groups of submitted measures that could make one agreement or one group of cities.

    Measures with a category group by it; those without one group, within a
    theme area, with the measures whose title and description share enough
    words (Jaccard similarity), joined transitively. Groups of one are left out.
    """
    submitted = Measure.objects.filter(programme__round=round_, programme__status=ActionProgramme.Status.SUBMITTED)
    measures = list(
        submitted.select_related("programme__city", "theme_area", "category").order_by(
            "theme_area__order", "category__name_nb", "title", "pk"
        )
    )
    category_effect = dict(
        submitted.filter(category__isnull=False)
        .values("category")
        .annotate(effect=Sum("expected_effect"))
        .values_list("category", "effect")
    )
    by_category = defaultdict(list)
    loose = defaultdict(list)
    for m in measures:
        (by_category[m.category_id] if m.category_id else loose[m.theme_area_id]).append(m)
    groups = [("category", members, category_effect[key]) for key, members in by_category.items()]
    for members in loose.values():
        # A text cluster exists only here, so its total is summed here.
        groups += [("text", c, sum(m.expected_effect or 0 for m in c)) for c in _clusters(members)]
    result = []
    for kind, members, effect in groups:
        if len(members) < 2:
            continue
        result.append(
            {
                "kind": kind,
                "theme_area": members[0].theme_area,
                "category": members[0].category if kind == "category" else None,
                "measures": members,
                "cities": sorted({m.programme.city.name for m in members}),
                "effect": effect or 0,
                "candidates": sum(1 for m in members if m.candidate_kind),
            }
        )
    return sorted(result, key=lambda g: (g["theme_area"].order, -len(g["cities"]), -g["effect"]))


def _clusters(measures):
    """Measures joined by text likeness (union–find over the pairs above the threshold)."""
    words = [_words(f"{m.title} {m.description}") for m in measures]
    parent = list(range(len(measures)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(measures)):
        for j in range(i + 1, len(measures)):
            if _jaccard(words[i], words[j]) >= SIMILARITY:
                parent[find(i)] = find(j)
    clusters = defaultdict(list)
    for i, m in enumerate(measures):
        clusters[find(i)].append(m)
    return list(clusters.values())


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
