"""Middleware of the accounts app: refusals go to the security log, logged-in pages stay private,
and a session lives SESSION_COOKIE_AGE after its last use."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control

from accounts.models import SecurityEvent
from lib.security import record


class RefusalLogMiddleware:
    """Records REFUSED, with the user and the address in the portal, when a view refuses a logged-in
    user with PermissionDenied (403) or Http404 (the apps' access functions). Django still renders
    the error page: this only writes the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied | Http404) and request.user.is_authenticated:
            status = 403 if isinstance(exception, PermissionDenied) else 404
            record(SecurityEvent.Kind.REFUSED, request=request, status=status, method=request.method)
        return None


class PrivatePagesMiddleware:
    """A page for a logged-in user is kept by no cache, shared or the browser's own
    (`Cache-Control: private, no-store`): the back button after logging out shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class IdleSessionMiddleware:
    """Ends a logged-in session after SESSION_COOKIE_AGE (SESSION_IDLE_HOURS) without a request.

    The session's expiry moves with its use: it is saved again (new expiry, new cookie) once more
    than REFRESH_SECONDS have passed since it last was, so the timeout is exact to a few minutes.
    Saving it on every request (SESSION_SAVE_EVERY_REQUEST) would write the database on every
    page view, for nothing but those minutes.
    """

    REFRESH_SECONDS = 300
    KEY = "_portal_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(timezone.now().timestamp())
            if request.session.get(self.KEY, 0) <= now - self.REFRESH_SECONDS:
                mark_used(request.session)  # modified: SessionMiddleware saves it with a new expiry
        return response


def mark_used(session):
    """Note in `session` that it was just used (and saved): at login, and then every few minutes."""
    session[IdleSessionMiddleware.KEY] = int(timezone.now().timestamp())
