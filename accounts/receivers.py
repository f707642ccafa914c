"""Receivers that write the security log: what every app reports through `lib.security.record`,
and what Django (logging in and out) and django-axes (lockouts) tell by their own signals."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.middleware import mark_used
from accounts.models import SecurityEvent
from lib.security import client_address, record, security_event

Kind = SecurityEvent.Kind


@receiver(security_event)
def store_security_event(sender, *, kind, user, request, detail, **kwargs):
    username = detail.pop("username", "") or (user.get_username() if user is not None else "")
    SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        address=client_address(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        detail={key: str(value) for key, value in detail.items()},
    )


def account_named(username):
    """The user whose user name is `username` exactly, or None (a name typed at the login)."""
    if not username:
        return None
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    record(Kind.LOGIN, request=request, user=user)
    if getattr(request, "session", None) is not None:
        mark_used(request.session)  # the login saves the session: its idle period starts now


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def record_login_failed(sender, credentials, request=None, **kwargs):
    # Django hands over the credentials with the password already masked; only the name is kept.
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    if request is None:
        return  # not a login through the portal (a script's or the test client's check)
    locked = {"locked": "yes"} if getattr(request, "axes_locked_out", False) else {}
    record(Kind.LOGIN_FAILED, request=request, user=account_named(username), username=username or "–", **locked)


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs):
    # Axes tells each failure while the lock lasts; the log keeps the one that locked it.
    if getattr(request, "portal_locked_before", False):
        return
    record(Kind.LOCKOUT, request=request, user=account_named(username), username=username or "–")
