"""Who may do what with agreements, as django-rules predicates.

The programme management edits every agreement; coordinators and network
leaders propose and edit those in their theme areas; cities and partners read
those they are party to. `agreement.theme_areas.all()` and
`agreement.parties.all()` are read here, so views checking many prefetch them.
"""

import rules

from cities.rules import city_ids, is_member, is_programme_management, is_theme_staff, organisation_ids, theme_area_ids


@rules.predicate
def works_in_theme_of(user, agreement):
    mine = theme_area_ids(user)
    return bool(mine) and any(t.pk in mine for t in agreement.theme_areas.all())


@rules.predicate
def is_party(user, agreement):
    cities, organisations = city_ids(user), organisation_ids(user)
    return any(p.city_id in cities or p.organisation_id in organisations for p in agreement.parties.all())


rules.add_perm("agreements.list_agreements", is_member)
rules.add_perm("agreements.add_agreement", is_programme_management | is_theme_staff)
# Offered "Start an agreement" on the groups of similar measures (a prefilled form, saved as any other).
rules.add_perm("agreements.start_from_measures", is_programme_management)
rules.add_perm("agreements.view_agreement", is_programme_management | works_in_theme_of | is_party)
rules.add_perm("agreements.change_agreement", is_programme_management | works_in_theme_of)
# Whoever edits it deletes one started by mistake; whether it still may be (no history) is the service's.
rules.add_perm("agreements.delete_agreement", is_programme_management | works_in_theme_of)
rules.add_perm("agreements.change_status", is_programme_management)
