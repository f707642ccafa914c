"""Who may do what with meetings, as django-rules predicates.

Organisers are the programme management, and the network leaders of a
meeting's theme areas. Invitees read. The host city's contacts tick the
hosting checklist. A meeting's theme areas and invitations are read through
`meeting.theme_areas.all()` and `meeting.invitations.all()`, so views that
check many meetings prefetch them.
"""

import rules

from cities.models import Membership
from cities.rules import is_contact_of_city, is_member, is_programme_management, theme_area_ids


@rules.predicate
def is_network_leader(user):
    return bool(theme_area_ids(user, Membership.Role.NETWORK_LEADER))


@rules.predicate
def leads_network_of(user, meeting):
    led = theme_area_ids(user, Membership.Role.NETWORK_LEADER)
    return bool(led) and any(t.pk in led for t in meeting.theme_areas.all())


@rules.predicate
def is_invited(user, meeting):
    return user.is_authenticated and any(i.user_id == user.pk for i in meeting.invitations.all())


@rules.predicate
def is_host_contact(user, meeting):
    return is_contact_of_city(user, meeting.host_city)


is_organiser = is_programme_management | leads_network_of

rules.add_perm("meetings.list_meetings", is_member)
rules.add_perm("meetings.add_meeting", is_programme_management | is_network_leader)
rules.add_perm("meetings.view_meeting", is_organiser | is_invited | is_host_contact)
rules.add_perm("meetings.change_meeting", is_organiser)
rules.add_perm("meetings.tick_checklist", is_host_contact | is_organiser)
rules.add_perm("meetings.edit_recipe", is_programme_management)
