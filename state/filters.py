"""The filters of the register of instruments and of the lists of requests, as django-filter FilterSets.
A value that is not one of the choices is left out, as if it had not been given."""

import django_filters
from django.utils.translation import gettext_lazy as _

from state.models import Instrument, StateRequest


class InstrumentFilter(django_filters.FilterSet):
    """The register: theme area (its code) and kind."""

    theme = django_filters.CharFilter(field_name="theme_areas__code", max_length=30)
    kind = django_filters.ChoiceFilter(choices=Instrument.Kind.choices)

    class Meta:
        model = Instrument
        fields = []


class RequestFilter(django_filters.FilterSet):
    """A list of requests: the open ones (asked or acknowledged), or those of one status."""

    OPEN = "open"
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, _("Open")), *StateRequest.Status.choices], method="with_status"
    )

    class Meta:
        model = StateRequest
        fields = []

    def with_status(self, queryset, name, value):
        if value == self.OPEN:
            return queryset.filter(status__in=StateRequest.OPEN)
        return queryset.filter(status=value)
