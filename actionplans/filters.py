"""The filters of the lists of programmes and reviews, as django-filter FilterSets.

Each is used by its page and by the page's export (`reporting.tables`), so
that the two show the same rows for the same query string. A value that is
not one of the choices is left out, as if it had not been given: the list
shows what the valid filters choose, never an error.
"""

import django_filters
from django.db.models import Count

from actionplans.models import ActionProgramme, ProgrammeState, Review, Round, state_filter
from cities.models import City


def choose_round(slug, rounds):
    """The round of `rounds` with `slug`, else the current one (also for an unknown slug)."""
    return next((r for r in rounds if r.slug == slug), None) or Round.objects.current()


class RoundFilterSet(django_filters.FilterSet):
    """A list of one round: ?round=<slug>, else the current round.

    `rounds` (every round, for the page's choice) may be given when the view
    already has them; else they are read once here.
    """

    round = django_filters.ChoiceFilter(method="in_chosen_round")

    def __init__(self, data=None, queryset=None, *, rounds=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.rounds = list(Round.objects.select_related("deadline")) if rounds is None else list(rounds)
        self.filters["round"].extra["choices"] = [(r.slug, r.name) for r in self.rounds]
        self._chosen_round = None

    @property
    def chosen_round(self):
        if self._chosen_round is None:
            slug = None
            if self.is_bound:
                self.form.is_valid()  # cleans each field; an invalid one is left out of cleaned_data
                slug = self.form.cleaned_data.get("round")
            self._chosen_round = choose_round(slug, self.rounds)
        return self._chosen_round

    def in_chosen_round(self, queryset, name, value):
        return queryset  # applied in filter_queryset, also when no round is given

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(round=self.chosen_round)


class ProgrammeFilter(RoundFilterSet):
    """The programme list (and its programmes and measures exports): round, status."""

    status = django_filters.ChoiceFilter(choices=ProgrammeState.choices, method="in_state")

    class Meta:
        model = ActionProgramme
        fields = []

    def in_state(self, queryset, name, value):
        return queryset.filter(state_filter(value))


class ReviewGridFilter(RoundFilterSet):
    """The review grid and its export: the round's programmes; the export also takes
    a theme area (by code) and a review status, which choose its cells."""

    theme = django_filters.CharFilter(method="chooses_cells")
    status = django_filters.ChoiceFilter(choices=Review.Status.choices, method="chooses_cells")

    class Meta:
        model = ActionProgramme
        fields = []

    def chooses_cells(self, queryset, name, value):
        return queryset  # a cell is a programme in a theme area: `reporting.tables.reviews_table` chooses them


class ReviewQueueFilter(RoundFilterSet):
    """One theme's review queue: round, review status (of the queryset's `review_status`), city.

    The city is typed, not chosen from a list of every city: its slug (as older links give it)
    or a part of its name."""

    status = django_filters.ChoiceFilter(choices=Review.Status.choices, method="with_review_status")
    city = django_filters.CharFilter(method="in_city", max_length=100)

    class Meta:
        model = ActionProgramme
        fields = []

    def with_review_status(self, queryset, name, value):
        return queryset.filter(review_status=value)

    def in_city(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(city__in=City.objects.named(value))

    def status_counts(self):
        """How many of the rows the other filters choose are in each review status, every status
        listed: one query, grouped in the database."""
        data = self.data.copy() if self.data is not None else {}
        data.pop("status", None)
        others = type(self)(data, self.queryset, rounds=self.rounds)
        others._chosen_round = self.chosen_round
        counts = dict(others.qs.order_by().values_list("review_status").annotate(n=Count("pk")))
        return [
            {"status": value, "label": label, "count": counts.get(value, 0)} for value, label in Review.Status.choices
        ]
