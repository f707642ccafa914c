"""Who may bring whom into the programme, as django-rules predicates.

Programme management manages everyone. A network leader may invite coordinators and city
people (network participants) to the work of their own network; a city contact may invite a
colleague as a second contact of their own city. The object of `people.give_role` is an unsaved
Membership: the role and its scope.
"""

import rules

from cities.models import Membership
from cities.rules import (
    city_ids,
    is_city_contact,
    is_network_leader,
    is_programme_management,
    theme_area_ids,
)

Role = Membership.Role


@rules.predicate
def leads_theme_of(user, membership):
    return membership.theme_area_id in theme_area_ids(user, Role.NETWORK_LEADER)


@rules.predicate
def may_give_role(user, membership):
    if is_programme_management(user):
        return True
    if membership.role == Role.CITY_CONTACT:
        return membership.city_id in city_ids(user)
    if membership.role in (Role.COORDINATOR, Role.NETWORK_MEMBER):
        return leads_theme_of(user, membership)
    return False


@rules.predicate
def sent_invitation(user, invitation):
    return invitation.invited_by_id == user.pk


rules.add_perm("people.view_people", is_programme_management)
rules.add_perm("people.invite_people", is_programme_management | is_network_leader | is_city_contact)
rules.add_perm("people.give_role", may_give_role)
rules.add_perm("people.manage_person", is_programme_management)
rules.add_perm("people.manage_invitation", is_programme_management | sent_invitation)
rules.add_perm("people.send_message", is_programme_management | is_network_leader)
