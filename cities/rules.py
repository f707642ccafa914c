"""Who a person is in the programme, as predicates over the user.

The memberships of a user are read once per request and kept on the user
object, so that checking many objects costs no extra queries.
"""

import rules

from cities.models import Membership

Role = Membership.Role


def memberships(user):
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_portal_memberships"):
        user._portal_memberships = list(Membership.objects.filter(user=user))
    return user._portal_memberships


def city_ids(user, role=Role.CITY_CONTACT):
    return {m.city_id for m in memberships(user) if m.role == role and m.city_id}


def theme_area_ids(user, *roles):
    roles = roles or (Role.COORDINATOR, Role.NETWORK_LEADER)
    return {m.theme_area_id for m in memberships(user) if m.role in roles and m.theme_area_id}


def organisation_ids(user):
    return {m.organisation_id for m in memberships(user) if m.organisation_id}


def has_role(user, *roles):
    return any(m.role in roles for m in memberships(user))


@rules.predicate
def is_programme_management(user):
    return has_role(user, Role.PROGRAMME_MANAGEMENT)


@rules.predicate
def is_city_contact(user):
    return has_role(user, Role.CITY_CONTACT)


@rules.predicate
def is_theme_staff(user):
    """A coordinator or network leader of any theme area."""
    return has_role(user, Role.COORDINATOR, Role.NETWORK_LEADER)


@rules.predicate
def is_partner(user):
    return has_role(user, Role.PARTNER)


@rules.predicate
def is_consultant(user):
    """The consultant hired for the cross-theme review: reads what reviewers read, writes only that review."""
    return has_role(user, Role.CONSULTANT)


@rules.predicate
def is_network_leader(user):
    return has_role(user, Role.NETWORK_LEADER)


@rules.predicate
def is_contact_of_city(user, city):
    return city is not None and city.pk in city_ids(user)


@rules.predicate
def is_member(user):
    """Anyone with a role in the programme."""
    return bool(memberships(user))


is_programme_reader = is_programme_management | is_theme_staff | is_partner | is_consultant
