"""The only lookups of action programmes and what belongs to them for a user: each fetches
one object and answers 404 if the user may not see it (403 where they see it but may not
do what they asked), or scopes a queryset to what the user may see. Views, forms and the
other apps go through these; the rules themselves are in `rules.py`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from actionplans.models import ActionProgramme, Draft, ExtensionRequest, Measure, Review, ReviewComment, Round
from cities import rules as cities_rules


def sees_every_programme(user):
    """Whether `programmes_visible_to(user)` is every programme. Superusers, like Django's own
    permission checks, see everything."""
    return user.is_superuser or cities_rules.is_programme_management(user)


def programmes_visible_to(user, queryset=None):
    """The queryset twin of the rule `actionplans.view_programme`."""
    programmes = ActionProgramme.objects.all() if queryset is None else queryset
    if sees_every_programme(user):
        return programmes
    own = Q(city_id__in=cities_rules.city_ids(user))
    submitted = Q(status=ActionProgramme.Status.SUBMITTED)
    if cities_rules.is_programme_reader(user):
        if cities_rules.is_theme_staff(user):  # and the drafts the cities shared with them
            shared = Q(sharing=True) & ~submitted
            return programmes.filter(own | submitted | shared)
        return programmes.filter(own | submitted)
    if cities_rules.is_city_contact(user):  # the others' submitted ones, in rounds open to the cities
        return programmes.filter(own | (submitted & Q(round__in=Round.objects.open_to_cities())))
    return programmes.filter(own)


def submitted_measures_visible_to(user):
    """The measures of submitted programmes `user` sees: what an agreement may be made from."""
    submitted = programmes_visible_to(user).filter(status=ActionProgramme.Status.SUBMITTED)
    return Measure.objects.filter(programme__in=submitted)


def reviews_visible_to(user, programme):
    """The programme's reviews `user` reads: reviewers all of them, the city those whose comments
    were sent, the contacts of other cities none."""
    reviews = programme.reviews.select_related("theme_area")
    if not user.has_perm("actionplans.read_programme_reviews", programme):
        reviews = reviews.filter(status__in=Review.CITY_READS)
    if cities_rules.is_city_contact(user) and not cities_rules.is_contact_of_city(user, programme.city):
        # Another city reads the programme, not the dialogue between its city and its reviewers.
        if not (cities_rules.is_programme_reader(user) or user.is_superuser):
            return reviews.none()
    return reviews


def get_programme_for_user(user, pk, perm="actionplans.view_programme"):
    """The programme, if `user` may see it (else 404) and has `perm` on it (else 403)."""
    programme = get_object_or_404(
        ActionProgramme.objects.select_related("city__county", "round__deadline", "submitted_draft", "submitted_by"),
        pk=pk,
    )
    if not user.has_perm("actionplans.view_programme", programme):
        raise Http404
    if not user.has_perm(perm, programme):
        raise PermissionDenied(_why_not(programme))
    return programme


def _why_not(programme):
    """What a 403 page says when a city's own programme cannot be changed: it was submitted."""
    if programme.is_submitted:
        return _("This action programme has been submitted and is read-only. Programme management can reopen it.")
    return ""


def get_measure_for_user(user, pk, perm="actionplans.change_measure"):
    """A measure: 404 if its programme is hidden from `user`, 403 if they lack `perm` on it (by
    default: to edit it; `actionplans.view_measure` to read it, `actionplans.assess_measure`)."""
    measure = get_object_or_404(
        Measure.objects.select_related(
            "programme__city", "programme__round__deadline", "theme_area", "category", "assessed_by"
        ),
        pk=pk,
    )
    if not user.has_perm("actionplans.view_programme", measure.programme):
        raise Http404
    if not user.has_perm(perm, measure):
        raise PermissionDenied(_why_not(measure.programme) if perm == "actionplans.change_measure" else "")
    return measure


def get_draft_for_user(user, pk):
    """A version of a programme, if `user` may see the programme; else 404."""
    draft = get_object_or_404(Draft.objects.select_related("programme__city"), pk=pk)
    if not user.has_perm("actionplans.view_draft", draft):
        raise Http404
    return draft


def get_reviewed_programme_for_user(user, pk):
    """A programme whose reviews `user` may read: 404 if it is hidden from them, 403 if not a reviewer.

    Reviewers keep their reviews of a programme that was reopened after it was submitted.
    """
    programme = get_object_or_404(
        ActionProgramme.objects.select_related("city", "round__deadline", "submitted_draft"), pk=pk
    )
    may_review = user.has_perm("actionplans.read_programme_reviews", programme)
    if not may_review and not user.has_perm("actionplans.view_programme", programme):
        raise Http404
    if not may_review:
        raise PermissionDenied
    return programme


def get_reviewed_measure_for_user(user, pk):
    """A measure of a programme whose reviews `user` may read (404 or 403 as for the programme)."""
    measure = get_object_or_404(Measure.objects.select_related("programme__city", "theme_area"), pk=pk)
    get_reviewed_programme_for_user(user, measure.programme_id)
    return measure


def get_comment_for_user(user, pk):
    """A review comment `user` may answer: 404 if its programme is hidden from them, else 403 if they may not."""
    comment = get_object_or_404(
        ReviewComment.objects.select_related("review__programme__city", "review__theme_area"), pk=pk
    )
    programme = comment.review.programme
    if not user.has_perm("actionplans.view_programme", programme) and not user.has_perm(
        "actionplans.read_programme_reviews", programme
    ):
        raise Http404
    if not user.has_perm("actionplans.answer_comment", comment):
        raise PermissionDenied
    return comment


def get_round_for_user(user, pk, perm="actionplans.view_round"):
    """The round with its deadline, if `user` has `perm` on it; else 403."""
    round_ = get_object_or_404(Round.objects.select_related("deadline"), pk=pk)
    if not user.has_perm(perm, round_):
        raise PermissionDenied
    return round_


def get_extension_request_for_user(user, pk):
    """An extension request to decide: 403 unless `user` decides extensions, then 404 if there is none."""
    if not user.has_perm("actionplans.decide_extension"):
        raise PermissionDenied
    return get_object_or_404(
        ExtensionRequest.objects.select_related("programme__city", "programme__round__deadline", "requested_by"), pk=pk
    )
