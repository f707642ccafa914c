"""The only lookups of agreements for a user: one agreement they may see, and the agreements they may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from agreements.models import Agreement, Party
from cities import rules as cities_rules


def with_relations(agreements):
    """The theme areas, parties and the responsible person, which the rules and the pages read."""
    return agreements.select_related("responsible").prefetch_related(
        "theme_areas", Prefetch("parties", queryset=Party.objects.select_related("city", "organisation"))
    )


def get_agreement_for_user(user, pk, perm="agreements.view_agreement"):
    """The agreement, if `user` may see it (else 404) and has `perm` on it (else 403)."""
    agreement = get_object_or_404(with_relations(Agreement.objects.all()), pk=pk)
    if not user.has_perm("agreements.view_agreement", agreement):
        raise Http404
    if not user.has_perm(perm, agreement):
        raise PermissionDenied
    return agreement


def agreements_visible_to(user, queryset=None):
    """The queryset twin of the rule `agreements.view_agreement`. Superusers, as in Django's checks, see all."""
    agreements = Agreement.objects.all() if queryset is None else queryset
    if user.is_superuser or cities_rules.is_programme_management(user):
        return agreements
    return agreements.filter(
        Q(theme_areas__in=cities_rules.theme_area_ids(user))
        | Q(parties__city__in=cities_rules.city_ids(user))
        | Q(parties__organisation__in=cities_rules.organisation_ids(user))
    ).distinct()
