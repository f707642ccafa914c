"""Marking the words found in an excerpt, safely: the text is escaped first, then the database's marks
(\x02 … \x03, which no indexed text contains: `sources.MARKS`) become <mark> … </mark>."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.backends import START, STOP


def mark(excerpt):
    """`excerpt` as safe HTML: escaped, its marked words in <mark>, every <mark> closed."""
    html = []
    inside = False
    for char in escape(excerpt or ""):
        if char == START and not inside:
            html.append("<mark>")
            inside = True
        elif char == STOP and inside:
            html.append("</mark>")
            inside = False
        elif char not in (START, STOP):
            html.append(char)
    if inside:
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308 -- escaped above; only our own <mark> added
