"""The querysets the API lists, each scoped to the user in the database by the apps' access functions.

`reviews_visible_to_user` is the queryset twin, over every programme, of `actionplans.access.
reviews_visible_to` (which takes one programme), tested against it in tests/api/test_access.py.
It belongs beside that function in actionplans/access.py.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from actionplans.access import programmes_visible_to
from actionplans.models import Review
from actionplans.rules import is_reviewer, reads_as_another_city
from api.models import ApiToken
from cities import rules as cities_rules


def reviews_visible_to_user(user):
    """Every review `user` reads on the page of its programme (or of its review):

    reviewers every review of a programme once submitted (`actionplans.read_programme_reviews`); who
    sees a programme its reviews whose comments were sent (`Review.CITY_READS`); but a city contact who
    is no programme reader reads those of their own city's programmes only."""
    reviews = Review.objects.all()
    if user.is_superuser:
        return reviews
    shown = Q(status__in=Review.CITY_READS, programme__in=programmes_visible_to(user).values("pk"))
    if cities_rules.is_city_contact(user) and not cities_rules.is_programme_reader(user):
        shown &= Q(programme__city__in=cities_rules.city_ids(user))
    if is_reviewer(user):
        shown |= Q(programme__submitted_at__isnull=False)
    return reviews.filter(shown)


def drafts_visible_to(user, programme):
    """The versions of `programme` (which `user` sees) that they read, as its page lists them: another
    city reads the submitted version only."""
    drafts = programme.drafts.all()
    if reads_as_another_city(user, programme) and not user.is_superuser:
        return drafts.filter(pk=programme.submitted_draft_id)
    return drafts


def get_token_for_user(user, pk):
    """One of `user`'s own API tokens; 404 for anyone else's (superusers included: a token is personal)."""
    return get_object_or_404(ApiToken, pk=pk, user=user)
