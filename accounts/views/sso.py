"""Single sign-on: the start (off to the provider) and the callback (back with a code).

mozilla-django-oidc's views, with the endpoint found by discovery and every failure told on the
login page instead of an error page. Mounted only when SSO is on (accounts/urls.py).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import oidc
from accounts.models import SecurityEvent
from lib.security import record


class SSOStartView(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        # Not the library's: it would read the endpoint from settings when the view is made.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.endpoint("authorization_endpoint")
        except oidc.DiscoveryError as error:
            record(SecurityEvent.Kind.SSO_REFUSED, request=request, reason="provider", error=str(error)[:200])
            messages.error(request, oidc.UNAVAILABLE)
            return redirect(settings.LOGIN_URL)
        return super().get(request)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A callback this browser did not start (an old or copied link): nothing to log in.
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "sso_refusal", None) or oidc.FAILED)
        return redirect(settings.LOGIN_URL)
