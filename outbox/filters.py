"""The outbox page's filters."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outbox.models import OutgoingMail


def kind_choices():
    kinds = OutgoingMail.objects.order_by("kind").values_list("kind", flat=True).distinct()
    return [(kind, kind) for kind in kinds]


class OutboxFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=kind_choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OutgoingMail.Status.choices, empty_label=_("All"))
    recipient = django_filters.CharFilter(label=_("Recipient"), method="filter_recipient")

    class Meta:
        model = OutgoingMail
        fields = ["kind", "status", "recipient"]

    def filter_recipient(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(address__icontains=value)
            | Q(recipient__first_name__icontains=value)
            | Q(recipient__last_name__icontains=value)
            | Q(recipient__username__icontains=value)
        )
