from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter(name="abs")
def absolute(value):
    """|abs: the size of a number, e.g. days late from a negative days left."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def get_item(mapping, key):
    """|get_item:key — a dictionary lookup with a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def tonnes(value, empty="–"):
    """|tonnes — tonnes CO2e with one decimal and the language's separators; `empty` for none.

    Sums from SQLite come back with float noise (35.7000000000000); this is
    the one place they are rounded for display.
    """
    if value is None or value == "":
        return empty
    return floatformat(value, "1g")


@register.filter
def nok(value, empty="–"):
    """|nok — an amount in Norwegian kroner, whole kroner, as the language writes it:
    "1 500 000 kr" in Norwegian, "NOK 1,500,000" in English; `empty` for none."""
    if value is None or value == "":
        return empty
    return _("NOK %(amount)s") % {"amount": floatformat(value, "0g")}
