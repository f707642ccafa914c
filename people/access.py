"""The only lookups of people and invitations for a user (see the rules in `rules.py`)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cities.models import Membership
from people.models import AccountInvitation


def require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def get_person_for_user(user, pk):
    """A person to read or manage: programme management only (403 for everyone else)."""
    require(user, "people.manage_person")
    return get_object_or_404(get_user_model().objects.select_related("profile__organisation"), pk=pk)


def get_membership_for_user(user, pk):
    require(user, "people.manage_person")
    return get_object_or_404(Membership.objects.select_related("user", "city", "theme_area", "organisation"), pk=pk)


def get_invitation_for_user(user, pk):
    """An invitation its sender or programme management may send again or withdraw; else 404."""
    invitation = get_object_or_404(AccountInvitation.objects.select_related("user__profile", "invited_by"), pk=pk)
    if not user.has_perm("people.manage_invitation", invitation):
        raise Http404
    return invitation


def invitations_sent_by(user):
    return AccountInvitation.objects.filter(invited_by=user).select_related("user").order_by("-sent_at")[:20]
