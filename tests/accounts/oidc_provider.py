"""A real OpenID Connect provider for the tests: oidc-provider-mock on loopback, in a thread.

Its authorization page logs in whoever's `sub` is posted to it: a person given in `people` (with
their claims), or any other sub, whose only claim is then `email` = the sub (not verified).
"""

import contextlib
import socket

import oidc_provider_mock
import requests

CLIENT_ID, CLIENT_SECRET = "framtidens-byer", "test-secret"


def person(sub, email, verified=True, **claims):
    return oidc_provider_mock.User(sub=sub, claims={"email": email, "email_verified": verified, **claims})


@contextlib.contextmanager
def provider(*people):
    """The provider's issuer URL while it runs; it stops (within seconds) when the block ends."""
    with oidc_provider_mock.run_server_in_thread(port=0, require_nonce=True, user_claims=people) as server:
        yield f"http://localhost:{server.server_port}"


def configure(settings, monkeypatch, issuer):
    """Settings as the environment would give them, with single sign-on on and its URLs mounted."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the provider speaks plain HTTP on loopback
    settings.SSO_ENABLED = True
    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_TIMEOUT = 5
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.oidc.PortalOIDCBackend"]
    settings.ROOT_URLCONF = "tests.accounts.sso_urls"


def authorize(authorize_url, sub=None, *, deny=False):
    """What a person does on the provider's page: log in as `sub`, or deny. Returns where the
    provider sends the browser back to."""
    data = {"action": "deny"} if deny else {"sub": sub}
    response = requests.post(authorize_url, data=data, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def closed_port_url():
    """An address on loopback where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
