"""Single sign-on by OpenID Connect (mozilla-django-oidc): the provider's discovery document and
the backend that matches a person to an existing user.

Everything comes from the environment (settings.OIDC_*). The provider's endpoints are read from
`<OIDC_ISSUER>/.well-known/openid-configuration` the first time they are needed, with a timeout,
and kept in the cache: nothing is fetched when the portal starts.
"""

import hashlib

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import SecurityEvent
from lib.security import record

DISCOVERY_CACHE_SECONDS = 3600

UNAVAILABLE = _("Single sign-on is not available just now. Try again later, or log in with your password.")
FAILED = _("Single sign-on did not log you in. Try again, or log in with your password.")


class DiscoveryError(Exception):
    pass


def discovery_cache_key(issuer):
    return "oidc-discovery-" + hashlib.sha256(issuer.encode()).hexdigest()


def discovery():
    """The provider's discovery document (a dict), fetched once an hour at most."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    if not issuer:
        raise DiscoveryError("OIDC_ISSUER is not set")
    key = discovery_cache_key(issuer)
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise DiscoveryError(f"no discovery document from {issuer}: {error}") from error
        if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
            raise DiscoveryError(f"the discovery document of {issuer} names another issuer")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def endpoint(name):
    try:
        return discovery()[name]
    except KeyError as error:
        raise DiscoveryError(f"the discovery document has no {name}") from error


def _email_verified(claims):
    # Some providers send the JSON boolean as a string.
    return claims.get("email_verified") in (True, "true", "True")


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """Logs in an existing, active user whose e-mail the provider has verified (case-insensitive
    match). Nobody is created. A refusal is logged (SSO_REFUSED) and its reason left on the request
    (`request.sso_refusal`) for the login page."""

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every authenticate() and every request's get_user(): no
        # network here, the endpoints are looked up when a login needs them.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802  (the name the library reads)
        return endpoint("token_endpoint")

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return endpoint("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return endpoint("jwks_uri")

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET:
            return None  # a password login: not ours
        self.request = request
        try:
            return super().authenticate(request, **kwargs)
        except (DiscoveryError, requests.RequestException) as error:
            record(SecurityEvent.Kind.SSO_REFUSED, request=request, reason="provider", error=str(error)[:200])
            request.sso_refusal = UNAVAILABLE
        except SuspiciousOperation as error:
            record(SecurityEvent.Kind.SSO_REFUSED, request=request, reason="token", error=str(error)[:200])
            request.sso_refusal = FAILED
        return None

    def retrieve_matching_jwk(self, token):
        header = jwt.get_unverified_header(token)
        if "kid" in header:
            return super().retrieve_matching_jwk(token)
        # A provider with one signing key may leave its id out of the token: then only that key will do.
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig" and key.get("alg", header.get("alg")) == header.get("alg")
        ]
        if len(keys) != 1:
            raise SuspiciousOperation("the token names no key, and the provider has more than one")
        return jwt.PyJWK(keys[0])

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        if not email:
            return self._refuse("no_email", _("Your identity provider did not tell the portal your e-mail address."))
        if not _email_verified(claims):
            return self._refuse(
                "unverified",
                _(
                    "Your identity provider has not verified the e-mail address %(email)s, so the portal cannot match it to an account."
                )
                % {"email": email},
                email=email,
            )
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if not users:
            return self._refuse(
                "unknown",
                _(
                    "No account in the portal has the e-mail address %(email)s. Ask the programme management for an invitation."
                )
                % {"email": email},
                email=email,
            )
        if len(users) > 1:
            return self._refuse(
                "ambiguous",
                _(
                    "More than one account in the portal has the e-mail address %(email)s. Ask the programme management to sort it out."
                )
                % {"email": email},
                email=email,
            )
        user = users[0]
        if not user.is_active:
            return self._refuse(
                "deactivated",
                _("Your account in the portal is deactivated. Ask the programme management if you need it again."),
                email=email,
                user=user,
            )
        return user

    def _refuse(self, reason, message, *, email="", user=None):
        record(SecurityEvent.Kind.SSO_REFUSED, request=self.request, user=user, username=email or "–", reason=reason)
        self.request.sso_refusal = message
        return None

    def get_user(self, user_id):
        # The library's own would keep a deactivated person logged in; Django's refuses them.
        return ModelBackend.get_user(self, user_id)
