"""What a user may read of each kind, as querysets of the objects, from each app's access functions.

The search asks the database for the entries whose object is in these (`object_id IN (SELECT …)`), so a
result the user may not read is never fetched: nothing is filtered out afterwards in Python.
"""

from django.db.models import Q

from actionplans.access import programmes_visible_to
from actionplans.models import CommentReply, Measure, Review, ReviewComment
from actionplans.rules import is_reviewer
from agreements.access import agreements_visible_to
from cities import rules as cities_rules
from meetings.access import meetings_visible_to, minutes_visible_to
from search.models import Kind
from state.access import instruments_visible_to, requests_visible_to


def reviews_readable_by(user):
    """The queryset twin, over every programme, of `actionplans.access.reviews_visible_to`: reviewers read
    every review of a programme once it has been submitted; the others the reviews whose comments were sent,
    of the programmes they see; a city contact who is no reader of programmes only those of its own city."""
    reviews = Review.objects.all()
    if user.is_superuser:
        return reviews
    readable = Q(status__in=Review.CITY_READS, programme__in=programmes_visible_to(user).values("pk"))
    if cities_rules.is_city_contact(user) and not cities_rules.is_programme_reader(user):
        readable &= Q(programme__city_id__in=cities_rules.city_ids(user))
    if is_reviewer(user):  # `actionplans.read_programme_reviews`
        readable |= Q(programme__submitted_at__isnull=False)
    return reviews.filter(readable)


def _measures(user):
    programmes = programmes_visible_to(user)
    if not programmes.query.has_filters():
        return Measure.objects.all()
    return Measure.objects.filter(programme__in=programmes.values("pk"))


# kind -> the objects of that kind `user` may read. The programme's entry holds the text of the version
# every reader of the programme may read (search/sources.py), so the programme's own rule is the document's.
SCOPES = {
    Kind.MEASURE: _measures,
    Kind.PROGRAMME: programmes_visible_to,
    Kind.COMMENT: lambda user: ReviewComment.objects.filter(review__in=reviews_readable_by(user).values("pk")),
    Kind.ANSWER: lambda user: CommentReply.objects.filter(comment__review__in=reviews_readable_by(user).values("pk")),
    Kind.MINUTES: minutes_visible_to,
    Kind.MEETING: meetings_visible_to,
    Kind.AGREEMENT: agreements_visible_to,
    Kind.INSTRUMENT: instruments_visible_to,
    Kind.REQUEST: requests_visible_to,
}


def readable(user, kind):
    """A condition on entries: those of `kind` whose object `user` may read."""
    objects = SCOPES[Kind(kind)](user)
    if not objects.query.has_filters():  # everything of the kind (the management, superusers)
        return Q(kind=kind)
    return Q(kind=kind, object_id__in=objects.values("pk"))
