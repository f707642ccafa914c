"""Who may do what with the state's instruments and the requests to the state bodies, as django-rules predicates.

Everyone in the programme browses the register. The partners of a body (people with the partner role for
that organisation) keep its instruments and answer the requests to it; the programme management does so
for every body. A city asks for its own programmes; a coordinator, a network leader or the programme
management may ask on the city's behalf for a programme that has been submitted to them for review (for a
measure, the coordinators of the measure's theme). A request is read by its city, the body it was sent
(or referred) to, whoever raised it and the programme management; the other cities see only how many
requests an instrument has (`state.access.use_of_instruments`). An offer becomes an agreement by the
programme management, or by the coordinator or network leader who raised the request. The programme
management sets when unanswered requests are reminded. The body's partners and the programme management
publish an offer for every city in the programme (what is offered, the amount, from when, the conditions
and the city: `state.access.published_offers`). `state.access` holds the queryset twins.
"""

import rules

from cities.rules import (
    Role,
    city_ids,
    is_contact_of_city,
    is_member,
    is_programme_management,
    is_theme_staff,
    memberships,
    theme_area_ids,
)


def body_ids(user):
    """The organisations `user` is a partner of: the bodies whose instruments and requests are theirs."""
    return {m.organisation_id for m in memberships(user) if m.role == Role.PARTNER and m.organisation_id}


@rules.predicate
def is_partner_of_a_body(user):
    return bool(body_ids(user))


@rules.predicate
def is_partner_of_body(user, body):
    return body is not None and body.pk in body_ids(user)


@rules.predicate
def keeps_instrument(user, instrument):
    return instrument.body_id in body_ids(user)


@rules.predicate
def is_active(user, instrument):
    return instrument.active


@rules.predicate
def is_own_programme(user, programme):
    return programme.city_id in city_ids(user)


@rules.predicate
def has_been_submitted(user, programme):
    return programme.submitted_at is not None


@rules.predicate
def asks_for_own_measure(user, measure):
    return measure.programme.city_id in city_ids(user)


@rules.predicate
def raises_for_measure(user, measure):
    """On the city's behalf, for a measure of a programme submitted for review: the management, or the
    coordinators and network leaders of the measure's theme."""
    if measure.programme.submitted_at is None:
        return False
    return is_programme_management(user) or measure.theme_area_id in theme_area_ids(user)


@rules.predicate
def is_requests_city(user, request):
    return request.programme.city_id in city_ids(user)


@rules.predicate
def is_requests_body(user, request):
    return request.body_id in body_ids(user)


@rules.predicate
def is_referred_body(user, request):
    return request.referred_body_id is not None and request.referred_body_id in body_ids(user)


@rules.predicate
def raised_it(user, request):
    return request.raised_by_id == user.pk


# The register.
rules.add_perm("state.browse_register", is_member)
rules.add_perm("state.view_instrument", is_member & (is_active | is_programme_management | keeps_instrument))
rules.add_perm("state.add_instrument", is_programme_management | is_partner_of_a_body)
rules.add_perm("state.change_instrument", is_programme_management | keeps_instrument)

# Asking: for a programme (the city, or on its behalf once it is submitted), or one of its measures.
rules.add_perm(
    "state.ask_for_programme",
    is_own_programme | ((is_programme_management | is_theme_staff) & has_been_submitted),
)
rules.add_perm("state.ask_for_measure", asks_for_own_measure | raises_for_measure)

# A request and its answer.
rules.add_perm(
    "state.view_request", is_programme_management | is_requests_city | is_requests_body | is_referred_body | raised_it
)
# Who answers or withdraws; whether the request's status still lets them is its table's (`StateRequest.TRANSITIONS`).
rules.add_perm("state.answer_request", is_programme_management | is_requests_body)
rules.add_perm("state.withdraw_request", is_requests_city | raised_it)
# Made in one step from the offer, by whoever makes agreements (`agreements.add_agreement`) and has the request
# in hand: the management, or the coordinator or network leader who raised it on the city's behalf.
rules.add_perm("state.turn_into_agreement", is_programme_management | (is_theme_staff & raised_it))
# A move only the portal makes (`state.models.SYSTEM_MOVE`): no one is given it.
rules.add_perm("state.system_move", rules.always_deny)
# An offer shown on its instrument's page to everyone in the programme; whether the request holds an offer is
# the service's to check (`services.publish_offer`).
rules.add_perm("state.publish_offer", is_programme_management | is_requests_body)
# When the requests still unanswered are reminded to their bodies.
rules.add_perm("state.set_reminder_steps", is_programme_management)

# The lists of requests: a body's (its partners and the management) and a city's (its contacts and the management).
rules.add_perm("state.view_body_requests", is_programme_management | is_partner_of_body)
rules.add_perm("state.view_city_requests", is_programme_management | is_contact_of_city)

# How concrete the state is: programme-wide counts and medians (`state.overview`), no request's content.
rules.add_perm("state.view_overview", is_programme_management | is_partner_of_a_body)
