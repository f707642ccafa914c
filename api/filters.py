"""The filters of the API's lists that no page has (measures and reviews across programmes), in the
style of the apps' FilterSets: round by slug, theme area by code, city by slug or a part of its name."""

import django_filters
from django import forms

from actionplans.models import Measure, Review
from cities.models import City
from cities.sectors import EmissionSector


class IdFilter(django_filters.NumberFilter):
    """A whole number that a database integer can hold; anything else is refused (400)."""

    field_class = forms.IntegerField


class _ProgrammeRowFilter(django_filters.FilterSet):
    """Filters of rows that belong to a programme: its round, city and the programme itself."""

    round = django_filters.CharFilter(field_name="programme__round__slug", max_length=50, help_text="A round's slug.")
    city = django_filters.CharFilter(method="in_city", max_length=100, help_text="A city's slug, or part of its name.")
    programme = IdFilter(field_name="programme", min_value=1, max_value=2**62, help_text="A programme's id.")

    def in_city(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(programme__city__in=City.objects.named(value)) if value else queryset


class MeasureFilter(_ProgrammeRowFilter):
    theme = django_filters.CharFilter(field_name="theme_area__code", max_length=30, help_text="A theme area's code.")
    status = django_filters.ChoiceFilter(choices=Measure.Status.choices)
    sector = django_filters.ChoiceFilter(choices=EmissionSector.choices)

    class Meta:
        model = Measure
        fields = []


class ReviewFilter(_ProgrammeRowFilter):
    theme = django_filters.CharFilter(
        method="in_theme", max_length=30, help_text="A theme area's code; “cross” for the cross-theme review."
    )
    status = django_filters.ChoiceFilter(choices=Review.Status.choices)

    class Meta:
        model = Review
        fields = []

    def in_theme(self, queryset, name, value):
        if value == "cross":
            return queryset.filter(theme_area__isnull=True)
        return queryset.filter(theme_area__code=value)
