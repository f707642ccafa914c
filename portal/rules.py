"""Who may see the portal's cross-app pages, as django-rules predicates."""

import rules

from cities.rules import is_programme_reader

# The dashboard is for those who read every city's submitted programme: the
# programme management, coordinators and network leaders, and partners. Each
# sees on it only what they may read elsewhere.
rules.add_perm("portal.view_dashboard", is_programme_reader)
