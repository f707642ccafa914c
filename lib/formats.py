"""How the portal writes people's names, tonnes of CO2e and kroner, in the language that is active.

Dates go by Django's format modules (portal/formats/); the template filters
in portal_tags are these functions.
"""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

# What a missing number shows as.
EMPTY = "–"


def person_name(user):
    """A person as the portal shows them: full name, else the user name."""
    return user.get_full_name() or user.username


def tonnes(value, empty=EMPTY):
    """Tonnes CO2e with one decimal and the language's separators; `empty` for none.

    Sums from SQLite come back with float noise (35.7000000000000); this is
    the one place they are rounded for display.
    """
    if value is None or value == "":
        return empty
    return floatformat(value, "1g")


def kroner(value, empty=EMPTY):
    """An amount in Norwegian kroner, whole kroner, as the language writes it:
    "1 500 000 kr" in Norwegian, "NOK 1,500,000" in English; `empty` for none."""
    if value is None or value == "":
        return empty
    return _("NOK %(amount)s") % {"amount": floatformat(value, "0g")}
