"""Bringing people in and changing what they may do: every change to a person's account or roles
goes through these functions, which keep the role history and write the security log."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import Membership, Profile, language_of
from lib import mail
from lib.security import record
from outbox import services as outbox
from people.models import AccountInvitation, new_token, token_digest

INVITATION_VALID = datetime.timedelta(days=7)


class MailNotSent(Exception):
    """The invitation is saved but its mail could not be sent; it can be sent again."""


def email_in_use(email, *, exclude=None):
    users = get_user_model().objects.filter(email__iexact=email)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def invite(*, first_name, last_name, email, language, organisation, roles, by, request=None):
    """Create the person with their roles and send them an invitation; returns the invitation.

    `roles` are unsaved Memberships without a user, already validated. The person has no
    usable password until they set one from the invitation's link (or sign in by single sign-on).
    """
    email = email.strip()
    if email_in_use(email):
        raise ValidationError(_("Someone in the portal already has this e-mail address."), code="email_in_use")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=email.lower(), email=email, first_name=first_name, last_name=last_name
        )
        Profile.objects.create(user=user, language=language, organisation=organisation)
        for membership in roles:
            membership.user = user
            give_role(membership, by=by, request=request)
        invitation = AccountInvitation(user=user, invited_by=by)
        token = _renew(invitation)
    record("invitation_sent", request=request, user=user, by=by.get_username())
    _send(invitation, token)
    return invitation


def resend(invitation, *, by, request=None):
    """A new link, valid for another week, to the same person; the old link stops working."""
    if not invitation.is_open:
        raise ValidationError(_("This invitation was accepted or withdrawn."), code="closed")
    with transaction.atomic():
        token = _renew(invitation)
    record("invitation_sent", request=request, user=invitation.user, by=by.get_username(), again="yes")
    _send(invitation, token)


def withdraw(invitation, *, by, request=None):
    """The link stops working; a person who never logged in is deactivated, so that nothing reaches them."""
    if not invitation.is_open:
        raise ValidationError(_("This invitation was accepted or withdrawn."), code="closed")
    with transaction.atomic():
        invitation.withdrawn_at = timezone.now()
        invitation.withdrawn_by = by
        invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
        user = invitation.user
        if user.last_login is None and user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
    record("invitation_withdrawn", request=request, user=invitation.user, by=by.get_username())


def invitation_for(token):
    """The invitation a link's secret belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return AccountInvitation.objects.select_related("user").filter(token_digest=token_digest(token)).first()


def accept(invitation, *, password, request=None):
    """Set the person's password from their invitation; the link works once."""
    with transaction.atomic():
        invitation = AccountInvitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        if invitation.status != AccountInvitation.Status.PENDING:
            raise ValidationError(_("This invitation can no longer be used."), code=invitation.status)
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        _mark_accepted(invitation)
    record("invitation_accepted", request=request, user=user)
    return user


def accept_on_first_login(user, request=None):
    """A person invited who signs in another way (single sign-on) has accepted their invitation."""
    for invitation in AccountInvitation.objects.filter(user=user, accepted_at=None, withdrawn_at=None):
        _mark_accepted(invitation)
        record("invitation_accepted", request=request, user=user, by="sso")


def give_role(membership, *, by, request=None):
    """Save a new role (validated by the caller's form or here); its history records who gave it."""
    membership.full_clean()
    membership._history_user = by
    membership.save()
    _rotate_if_own(membership.user, request)
    record("role_given", request=request, user=membership.user, role=membership.describe(), by=by.get_username())
    return membership


def end_role(membership, *, by, request=None):
    """End a role: it goes from the person's roles; its history keeps who ended it and when."""
    description = membership.describe()
    membership._history_user = by
    membership.delete()
    _rotate_if_own(membership.user, request)
    record("role_ended", request=request, user=membership.user, role=description, by=by.get_username())


def set_active(user, active, *, by, request=None):
    """Deactivate (no login, no mail, history kept) or reactivate a person."""
    if user == by and not active:
        raise ValidationError(_("You cannot deactivate yourself."), code="self")
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    record("reactivated" if active else "deactivated", request=request, user=user, by=by.get_username())


def _rotate_if_own(user, request):
    """A change of one's own privileges gets a new session key, as a login does. (Another person's
    roles are read afresh on their next request; a deactivated person's sessions stop at once.)"""
    if request is not None and getattr(request, "user", None) == user and hasattr(request, "session"):
        request.session.cycle_key()


def _renew(invitation):
    token = new_token()
    now = timezone.now()
    invitation.token_digest = token_digest(token)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALID
    invitation.save()
    return token


def _mark_accepted(invitation):
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])


def _send(invitation, token):
    user = invitation.user
    context = {
        "person": user,
        "invited_by": invitation.invited_by,
        "roles": list(Membership.objects.filter(user=user).select_related("city", "theme_area", "organisation")),
        "url": mail.absolute_url(reverse("people:accept", args=[token])),
        "expires_at": invitation.expires_at,
    }
    # Queued in the outbox, which sends it after the commit and tries again if the mail server
    # is away; each new link is a new mail. Only a mail that cannot even be queued (no address,
    # the person deactivated) is "not sent".
    queued = outbox.queue(
        "account_invitation",
        context,
        to=user,
        kind="account_invitation",
        key=f"account_invitation:{invitation.pk}:{invitation.token_digest}",
        cause=invitation,
        language=language_of(user),
        secret=True,
    )
    if queued is None and not outbox.is_suppressed():
        raise MailNotSent(_("The invitation mail could not be queued: the person has no active address."))
