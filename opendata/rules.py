"""Who may publish a round as open data, as django-rules predicates. Reading what is published needs no rule:
anyone may, logged in or not."""

import rules

from cities.rules import is_programme_management

rules.add_perm("opendata.publish_round", is_programme_management)
