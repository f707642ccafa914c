"""Who may import the emission statistics, as django-rules predicates: the programme management
(and superusers, as in Django). The figures themselves are public statistics: whoever sees a
city's page sees them there."""

import rules

from cities.rules import is_programme_management

rules.add_perm("emissions.import_emissions", is_programme_management)
