from django import template

from search.queries import similar_measures

register = template.Library()


@register.inclusion_tag("search/_who_else.html")
def who_else(measure, user):
    """“Who else does this?”: up to five measures of other cities that share words of `measure`'s title
    and that `user` may read, with links. Usage: {% load search_tags %}{% who_else measure user %}"""
    return {"measure": measure, "hits": similar_measures(measure, user)}
