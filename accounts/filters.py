"""The security log's filters, one FilterSet shared by the page and its CSV export, so that the
two show the same entries for the same query string. A value that is not valid (a date that is no
date, a kind that is no kind) is left out and its field says why."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import SecurityEvent


class SecurityLogFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("What"), choices=SecurityEvent.Kind.choices, empty_label=_("All"))
    person = django_filters.CharFilter(label=_("Person"), method="by_person", max_length=150)
    address = django_filters.CharFilter(
        label=_("Address"), field_name="address", lookup_expr="startswith", max_length=45
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = SecurityEvent
        fields = []

    def by_person(self, queryset, name, value):
        """The person's user name (as typed at a login, or as it was), full name, or the account an entry is about."""
        words = value.split()
        query = Q(username__icontains=value) | Q(user__username__icontains=value) | Q(detail__account__icontains=value)
        if words:
            name_query = Q()
            for word in words:
                name_query &= Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
            query |= name_query
        return queryset.filter(query)
