"""Locked accounts (django-axes' database handler): who is locked now, unlocking them, the
lockout page, and the handler that gives an address a limit of its own.

An account is locked while its failed logins within the lockout period (AXES_COOLOFF_TIME)
reach AXES_FAILURE_LIMIT, counted over every address it was tried from; an address is locked
when the failures from it, for any accounts, reach LOGIN_ADDRESS_FAILURE_LIMIT.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from accounts.models import SecurityEvent
from lib.security import record


def _recent_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def _username(user_or_username):
    return user_or_username if isinstance(user_or_username, str) else user_or_username.get_username()


def locked_usernames():
    """The user names (as typed at the login, whether an account has them or not) locked now, sorted."""
    rows = (
        _recent_attempts()
        .exclude(username=None)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("username")
    )
    return [row["username"] for row in rows]


def is_locked(user):
    """Whether the account of `user` (a User or a user name) is locked now."""
    failures = _recent_attempts().filter(username=_username(user)).aggregate(n=Sum("failures_since_start"))["n"]
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


def forget_failures(user_or_username):
    """Remove the account's failed logins from every address (no log entry); returns how many records."""
    return reset(username=_username(user_or_username))


def unlock(user_or_username, *, request):
    """Forget the failed logins of an account, from every address, so that it may log in at once.

    Records UNLOCK (by the request's user) in the security log, also when nothing was locked.
    Returns how many records of failures were removed.
    """
    username = _username(user_or_username)
    removed = forget_failures(username)
    record(SecurityEvent.Kind.UNLOCK, request=request, account=username)
    return removed


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (AXES_LOCKOUT_CALLABLE): the same words whether the account exists or not."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler (AXES_HANDLER), with a higher limit for an address than for an account:
    many people share one address (an office, a town hall behind one NAT address), and one of them
    mistyping must not lock out the others. Also notes on the request whether it was locked already
    before a failure, so that the security log records a lockout once, when it begins."""

    def get_failures(self, request, credentials=None):
        failures = {
            parameter: attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for parameter, attempts in zip(
                settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True
            )
        }
        by_address = failures.pop("ip_address", 0)
        # On the account's scale: the address reaches AXES_FAILURE_LIMIT at its own limit.
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max([scaled, *failures.values()])

    def reset_user_attempts(self, request, credentials=None):
        """After a successful login: forget the failures of that account only. (Axes would forget
        every failure from the address too, so that logging in to one's own account would clear
        the guesses made at someone else's from the same place.)"""
        count, _ = AccessAttempt.objects.filter(username=get_client_username(request, credentials)).delete()
        return count

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None:
            request.portal_locked_before = self.is_locked(request, credentials)
        super().user_login_failed(sender, credentials, request=request, **kwargs)
