"""The filters of the meetings list, as a django-filter FilterSet. A value that is not
one of the choices is left out, as if it had not been given."""

import django_filters
from django.utils import timezone

from meetings.models import Meeting


def _id(value):
    """An id of digits only, and one a database integer can hold; else None."""
    return value if value.isascii() and value.isdigit() and len(value) < 10 else None


class MeetingFilter(django_filters.FilterSet):
    """Upcoming meetings, or past ones (?when=past); kind, theme area (id), host city (id)."""

    when = django_filters.CharFilter(method="keep")
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices)
    theme = django_filters.CharFilter(method="with_theme")
    city = django_filters.CharFilter(method="with_host_city")

    class Meta:
        model = Meeting
        fields = []

    def __init__(self, data=None, queryset=None, *, now=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.now = now or timezone.now()

    @property
    def past(self):
        return self.data.get("when") == "past"

    def keep(self, queryset, name, value):
        return queryset  # applied in filter_queryset, also when nothing is given

    def with_theme(self, queryset, name, value):
        return queryset.filter(theme_areas=value) if _id(value) else queryset

    def with_host_city(self, queryset, name, value):
        return queryset.filter(host_city=value) if _id(value) else queryset

    def filter_queryset(self, queryset):
        queryset = queryset.past(self.now) if self.past else queryset.upcoming(self.now)
        return super().filter_queryset(queryset)

    def chosen(self):
        """The filters as the page's form shows them: what was chosen, "" for what was not (or not valid)."""
        self.is_valid()
        kind = self.form.cleaned_data.get("kind") or ""
        city = self.data.get("city", "")
        return {"kind": kind, "theme": self.data.get("theme", ""), "city": city if _id(city) else ""}
