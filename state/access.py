"""The only lookups of instruments and requests to the state for a user: each fetches one object and answers
404 if the user may not see it (403 where they see it but may not do what they asked), or scopes a queryset
to what the user may see, in the database. The rules are in `rules.py`; these are their queryset twins."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from actionplans.access import get_programme_for_user
from cities import rules as cities_rules
from cities.models import City, Organisation
from state.models import Instrument, StateRequest
from state.rules import body_ids


def sees_everything(user):
    """Superusers, as in Django's checks, and the programme management see every instrument and request."""
    return user.is_superuser or cities_rules.is_programme_management(user)


def instruments_visible_to(user, queryset=None):
    """The queryset twin of `state.view_instrument`: the active instruments for everyone in the programme,
    and those no longer offered for the bodies that keep them and the management."""
    instruments = Instrument.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return instruments
    if not cities_rules.is_member(user):
        return instruments.none()
    return instruments.filter(Q(active=True) | Q(body__in=body_ids(user)))


def get_instrument_for_user(user, pk, perm="state.view_instrument"):
    """The instrument, if `user` may see it (else 404) and has `perm` on it (else 403)."""
    instrument = get_object_or_404(Instrument.objects.select_related("body").prefetch_related("theme_areas"), pk=pk)
    if not user.has_perm("state.view_instrument", instrument):
        raise Http404
    if not user.has_perm(perm, instrument):
        raise PermissionDenied
    return instrument


def requests_visible_to(user, queryset=None):
    """The queryset twin of `state.view_request`: a city's own requests, those to (or referred to) a body
    the user is a partner of, and those they raised; every request for the management."""
    requests = StateRequest.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return requests
    if not user.is_authenticated:
        return requests.none()
    bodies = body_ids(user)
    return requests.filter(
        Q(programme__city__in=cities_rules.city_ids(user))
        | Q(body__in=bodies)
        | Q(referred_body__in=bodies)
        | Q(raised_by=user)
    )


def with_relations(requests):
    """What a page of requests reads of each: its city and round, measure, body, instrument and who raised it."""
    return requests.select_related("programme__city", "programme__round", "measure", "body", "instrument", "raised_by")


def get_request_for_user(user, pk, perm="state.view_request"):
    """The request, if `user` may see it (else 404) and has `perm` on it (else 403)."""
    request = get_object_or_404(
        with_relations(StateRequest.objects.all()).select_related(
            "referred_body", "referred_instrument__body", "agreement"
        ),
        pk=pk,
    )
    if not user.has_perm("state.view_request", request):
        raise Http404
    if not user.has_perm(perm, request):
        raise PermissionDenied
    return request


def use_of_instruments(instruments):
    """{instrument pk: (requests, cities, published offers)} for `instruments`: how many requests, not
    withdrawn, ask for each, from how many cities, and how many of their offers are published. Counts only,
    which everyone in the programme may see; one query for a page."""
    rows = (
        StateRequest.objects.filter(instrument__in=instruments)
        .exclude(status=StateRequest.Status.WITHDRAWN)
        .order_by()
        .values("instrument")
        .annotate(
            requests=Count("pk"),
            cities=Count("programme__city", distinct=True),
            published=Count("pk", filter=Q(status__in=StateRequest.OFFERS, published_at__isnull=False)),
        )
    )
    return {row["instrument"]: (row["requests"], row["cities"], row["published"]) for row in rows}


# What a published offer shows of its request: the offer and the city that got it, nothing the city asked.
PUBLISHED_OFFER_FIELDS = ("offer", "offer_amount", "offer_from", "offer_conditions", "city", "published_at")


def published_offers(instrument):
    """The offers of `instrument` its body has published, newest first, as dicts of `PUBLISHED_OFFER_FIELDS`
    only: everyone who may see the instrument reads them (`state.view_instrument`), so no other field of the
    request (what the city asked, its measure, who asked) leaves the database."""
    return list(
        StateRequest.objects.published_offers()
        .filter(instrument=instrument)
        .order_by("-published_at", "-pk")
        .annotate(city=F("programme__city__name"))
        .values(*PUBLISHED_OFFER_FIELDS)
    )


def get_programme_to_ask_for(user, pk):
    """The programme a request is raised for: 404 if `user` may not see it, 403 if they may not ask for it."""
    programme = get_programme_for_user(user, pk)
    if not user.has_perm("state.ask_for_programme", programme):
        raise PermissionDenied
    return programme


def measures_to_ask_for(user, programme):
    """The programme's measures `user` may ask for (the queryset twin of `state.ask_for_measure`)."""
    measures = programme.measures.select_related("theme_area")
    if sees_everything(user) or cities_rules.is_contact_of_city(user, programme.city):
        return measures
    if programme.submitted_at is None:
        return measures.none()
    return measures.filter(theme_area__in=cities_rules.theme_area_ids(user))


def get_body_for_user(user, pk):
    """A state body whose requests `user` may list: 404 if there is none, 403 if they may not."""
    body = get_object_or_404(Organisation, pk=pk)
    if not user.has_perm("state.view_body_requests", body):
        raise PermissionDenied
    return body


def get_city_for_user(user, slug):
    """A city whose requests `user` may list: 404 if there is none, 403 if they may not."""
    city = get_object_or_404(City, slug=slug)
    if not user.has_perm("state.view_city_requests", city):
        raise PermissionDenied
    return city


def bodies_kept_by(user):
    """The organisations whose instruments `user` may keep: all for the management, else those they are a partner of."""
    if sees_everything(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=body_ids(user))


def bodies_to_ask():
    """The bodies a city may ask: the ministries and state agencies, and any organisation that offers an instrument."""
    state = [Organisation.Kind.MINISTRY, Organisation.Kind.STATE_AGENCY]
    return Organisation.objects.filter(Q(kind__in=state) | Q(pk__in=Instrument.objects.values("body"))).distinct()
