"""`{% sso_login_url as url %}`: where the single sign-on button goes, or "" while SSO is off."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def sso_login_url():
    if not settings.SSO_ENABLED:
        return ""
    try:
        return reverse("accounts:sso_start")
    except NoReverseMatch:
        return ""
