"""The filters of the agreement pipeline, as django-filter FilterSets, used by the
page and by its export (`reporting.tables`), so that both show the same agreements.
A value that is not one of the choices is left out, as if it had not been given."""

import django_filters

from actionplans.models import AgreementKind
from agreements.models import Agreement
from cities.models import City


class AgreementFilter(django_filters.FilterSet):
    """The pipeline: kind, theme area (code), city (its slug, or a part of its name: typed, not
    chosen from every city), party organisation (id)."""

    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices)
    theme = django_filters.CharFilter(field_name="theme_areas__code")
    city = django_filters.CharFilter(method="with_city", max_length=100)
    party = django_filters.CharFilter(method="with_party")

    class Meta:
        model = Agreement
        fields = []

    def with_city(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(parties__city__in=City.objects.named(value))

    def with_party(self, queryset, name, value):
        # An id of digits only, and one a database integer can hold; anything else is no filter.
        if value.isascii() and value.isdigit() and len(value) < 10:
            return queryset.filter(parties__organisation=value)
        return queryset


class AgreementExportFilter(AgreementFilter):
    """The pipeline's filters, and a status: the page shows every status in its own column."""

    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)

    class Meta(AgreementFilter.Meta):
        pass
