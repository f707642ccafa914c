"""The only functions that fetch what the public may read: a published round, its submitted programmes, their
measures and agreements. Whatever is not here is not public: drafts and unsubmitted programmes, reviews and
comments, the reviewers' reasons, and every person."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from actionplans.models import ActionProgramme, Measure, Round
from agreements.models import Agreement, Party
from opendata.models import Publication

Submitted = ActionProgramme.Status.SUBMITTED


def published_rounds():
    """The rounds published now, newest publication first, each with its `publication`."""
    return (
        # Both conditions: a round never published has no row, and its withdrawn_at would read as null.
        Round.objects.filter(publication__isnull=False, publication__withdrawn_at__isnull=True)
        .select_related("publication", "deadline")
        .order_by("-publication__published_at", "pk")
    )


def get_published_round(slug):
    """The round with `slug` if it is published now; else 404 (never published, or withdrawn)."""
    return get_object_or_404(published_rounds(), slug=slug)


def get_publication_for_user(user, pk):
    """For the management page: the round `pk` and its publication (None if never published); 404 without the
    round, 403 for anyone who may not publish."""
    round_ = get_object_or_404(Round.objects.select_related("deadline"), pk=pk)
    if not user.has_perm("opendata.publish_round", round_):
        raise PermissionDenied
    return round_, Publication.objects.filter(round=round_).select_related("published_by", "withdrawn_by").first()


def public_programmes(round_):
    """The submitted programmes of `round_`, with their city (and county), number of measures and the claimed
    and assessed effect summed in the database: a constant number of queries for any number of cities."""
    measures = Measure.objects.filter(programme=OuterRef("pk")).order_by().values("programme")
    return (
        ActionProgramme.objects.filter(round=round_, status=Submitted)
        .select_related("city__county", "submitted_draft")
        .annotate(
            measure_count=Coalesce(Subquery(measures.annotate(n=Count("pk")).values("n")), 0),
            claimed=Subquery(measures.annotate(total=Sum("expected_effect")).values("total")),
            assessed=Subquery(measures.annotate(total=Sum("assessed_effect")).values("total")),
            assessed_count=Coalesce(Subquery(measures.annotate(n=Count("assessed_effect")).values("n")), 0),
        )
        .order_by("city__name", "pk")
    )


def get_public_programme(round_, city_slug):
    """The submitted programme of the city `city_slug` in the published `round_`; else 404 (a draft, not
    started, or no programme at all look the same from outside)."""
    return get_object_or_404(public_programmes(round_), city__slug=city_slug)


def public_measures(round_):
    """Every measure of the submitted programmes of `round_`."""
    return Measure.objects.filter(programme__round=round_, programme__status=Submitted)


def public_agreements(round_, programme=None):
    """The agreements linked to a measure of a submitted programme of `round_` (of `programme` only, if
    given), each with its parties (cities and organisations: never persons) and the public measures it is
    linked to (`public_measures`)."""
    measures = public_measures(round_)
    if programme is not None:
        measures = measures.filter(programme=programme)
    agreements = Agreement.objects.filter(pk__in=measures.values("agreements"))
    return agreements.order_by("title", "pk").prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.select_related("city", "organisation").order_by("pk"),
            to_attr="public_parties",
        ),
        Prefetch(
            "measures",
            queryset=measures.select_related("programme__city").order_by("pk"),
            to_attr="public_measures",
        ),
    )


def party_name(party):
    """A party as the public reads it: the city's name, or the organisation's."""
    return party.city.name if party.city_id else party.organisation.name
