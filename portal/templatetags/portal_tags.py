from django import template

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
