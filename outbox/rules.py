"""Who may see the outbox and send a mail again: the programme management."""

import rules

from cities.rules import is_programme_management

rules.add_perm("outbox.view_outbox", is_programme_management)
rules.add_perm("outbox.resend_mail", is_programme_management)
