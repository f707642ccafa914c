"""The People list's filters, used by the page and by its CSV export alike."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City, Membership, Organisation, ThemeArea
from people.models import AccountInvitation


class PersonStatus:
    ACTIVE = "active"
    INVITED = "invited"
    EXPIRED = "expired"
    DEACTIVATED = "deactivated"
    CHOICES = [
        (ACTIVE, _("Active")),
        (INVITED, _("Invitation pending")),
        (EXPIRED, _("Invitation expired")),
        (DEACTIVATED, _("Deactivated")),
    ]
    LABELS = dict(CHOICES)


def open_invitations():
    return AccountInvitation.objects.filter(user=OuterRef("pk"), accepted_at=None, withdrawn_at=None)


def people_queryset():
    """Everyone, with what the list shows: roles, organisation, whether an invitation is open."""
    now = timezone.now()
    return (
        get_user_model()
        .objects.select_related("profile__organisation")
        .prefetch_related("memberships__city", "memberships__theme_area", "memberships__organisation")
        .annotate(
            invitation_pending=Exists(open_invitations().filter(expires_at__gt=now)),
            invitation_expired=Exists(open_invitations().filter(expires_at__lte=now)),
        )
        .order_by("last_name", "first_name", "username")
    )


def status_of(person):
    if not person.is_active:
        return PersonStatus.DEACTIVATED
    if person.invitation_pending:
        return PersonStatus.INVITED
    if person.invitation_expired:
        return PersonStatus.EXPIRED
    return PersonStatus.ACTIVE


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or e-mail"), method="search")
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Membership.Role.choices, method="with_role", empty_label=_("All")
    )
    city = django_filters.ModelChoiceFilter(
        label=_("City"), queryset=City.objects.all(), to_field_name="slug", method="with_scope", empty_label=_("All")
    )
    theme_area = django_filters.ModelChoiceFilter(
        label=_("Theme area"),
        queryset=ThemeArea.objects.all(),
        to_field_name="code",
        method="with_scope",
        empty_label=_("All"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="short_name",
        method="of_organisation",
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PersonStatus.CHOICES, method="with_status", empty_label=_("All")
    )

    class Meta:
        model = get_user_model()
        fields = []

    def search(self, queryset, name, value):
        words = value.split()[:5]
        for word in words:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def _memberships(self, **conditions):
        return Exists(Membership.objects.filter(user=OuterRef("pk"), **conditions))

    def with_role(self, queryset, name, value):
        return queryset.filter(self._memberships(role=value))

    def with_scope(self, queryset, name, value):
        return queryset.filter(self._memberships(**{name: value}))

    def of_organisation(self, queryset, name, value):
        return queryset.filter(Q(profile__organisation=value) | self._memberships(organisation=value))

    def with_status(self, queryset, name, value):
        now = timezone.now()
        if value == PersonStatus.DEACTIVATED:
            return queryset.filter(is_active=False)
        active = queryset.filter(is_active=True)
        if value == PersonStatus.INVITED:
            return active.filter(Exists(open_invitations().filter(expires_at__gt=now)))
        if value == PersonStatus.EXPIRED:
            return active.filter(Exists(open_invitations().filter(expires_at__lte=now)))
        return active.exclude(Exists(open_invitations()))
