"""Who may read an endpoint: a person with a role in the programme (or a superuser), whose token's
scope covers the endpoint's `scope`. What they then read is scoped by the apps' access functions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from api.models import ApiToken
from cities import rules as cities_rules


class InProgrammeWithScope(permissions.BasePermission):
    message = _("You have no role in the programme.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not (user.is_superuser or cities_rules.is_member(user)):
            return False
        token = request.auth
        if isinstance(token, ApiToken) and not token.allows(view.scope):
            self.message = _("The token's scope (%(scope)s) does not cover this endpoint.") % {
                "scope": token.get_scope_display()
            }
            return False
        return True
