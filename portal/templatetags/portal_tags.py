"""The template filters every app's templates load: the portal's formats (lib.formats) and two small helpers."""

from django import template

from lib import formats

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
def tonnes(value, empty=formats.EMPTY):
    """|tonnes — tonnes CO2e, see `lib.formats.tonnes`; |tonnes:"0" writes 0 for none."""
    return formats.tonnes(value, empty)


@register.filter
def nok(value, empty=formats.EMPTY):
    """|nok — an amount in kroner, see `lib.formats.kroner`."""
    return formats.kroner(value, empty)


@register.filter(name="person_name")
def person_name(user):
    """A person as the portal shows them: full name, else the user name."""
    return formats.person_name(user) if user is not None else ""
