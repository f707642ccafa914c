from django import template

register = template.Library()


@register.filter(name="abs")
def absolute(value):
    """|abs: the size of a number, e.g. days late from a negative days left."""
    try:
        return abs(value)
    except TypeError:
        return value
