"""Who a request to the API comes from: a personal token (`Authorization: Bearer <secret>`), or the
browser's session (so that the interactive docs work for a person logged in). The API only reads:
the views refuse every method but GET, HEAD and OPTIONS before anyone is authenticated."""

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api import services
from api.models import SECRET_PREFIX
from lib.security import record

# The security log's entries (SecurityEvent.kind values).
USE_LOGGED_AS = "api_token_used"
REFUSAL_LOGGED_AS = "api_token_refused"
# A refused token is logged at most once a minute per token (or per address, for an unknown one).
REFUSAL_LOGGED_EVERY = 60


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: the session may still say who it is
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer ”, with no spaces in it."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = services.token_for_secret(secret) if secret.startswith(SECRET_PREFIX) else None
        now = timezone.now()
        if token is None:
            self._log_refusal(request, f"address:{request.META.get('REMOTE_ADDR', '')}", None, reason="unknown")
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if token.revoked_at is not None:
            self._log_refusal(request, f"token:{token.pk}", token, reason="revoked")
            raise exceptions.AuthenticationFailed(_("The token has been revoked."))
        if token.expires_at is not None and token.expires_at <= now:
            self._log_refusal(request, f"token:{token.pk}", token, reason="expired")
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        if not token.user.is_active:
            self._log_refusal(request, f"token:{token.pk}", token, reason="inactive")
            raise exceptions.AuthenticationFailed(_("The token's owner can no longer log in."))
        if services.claim_use(token, now):
            record(USE_LOGGED_AS, request=request._request, user=token.user, **_about(token))
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'

    @staticmethod
    def _log_refusal(request, key, token, **detail):
        if cache.add(f"api-token-refused:{key}", 1, REFUSAL_LOGGED_EVERY):
            about = _about(token) if token is not None else {}
            record(
                REFUSAL_LOGGED_AS,
                request=request._request,
                user=token.user if token is not None else None,
                **about,
                **detail,
            )


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session. DRF checks CSRF on the methods that write; none reaches here."""


def _about(token):
    return {"token": token.prefix, "name": token.name, "scope": token.scope}
