"""Who may read the security log and unlock accounts, as django-rules predicates."""

import rules

from cities.rules import is_programme_management

# The log says who did what from where: the programme management's to read, nobody's to edit.
rules.add_perm("accounts.view_security_log", is_programme_management)
rules.add_perm("accounts.unlock_account", is_programme_management)
