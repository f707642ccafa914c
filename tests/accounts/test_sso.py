"""Single sign-on by OpenID Connect, end to end against a real provider on loopback (no mocks):
a known person is matched by verified e-mail; an unknown, unverified, shared or deactivated one is
refused with a message on the login page and SSO_REFUSED in the log; nobody is created."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from accounts import oidc, two_factor
from accounts.models import SecurityEvent
from tests.accounts import oidc_provider
from tests.accounts.oidc_provider import person
from tests.accounts.two_factor_helpers import give_two_factor

Kind = SecurityEvent.Kind
User = get_user_model()
SSO_BUTTON = "Log in with single sign-on"


@pytest.fixture
def issuer(settings, monkeypatch, contact_oslo):
    people = [
        person("oslo", "KONTAKT-OSLO@example.org"),
        person("unverified", "kontakt-oslo@example.org", verified=False),
        person("stranger", "someone@elsewhere.example"),
    ]
    with oidc_provider.provider(*people) as url:
        oidc_provider.configure(settings, monkeypatch, url)
        yield url


def sso_login(client, sub, *, deny=False, next_path=None):
    """Through the portal's start, the provider's page and back to the callback; returns the
    callback's response."""
    start_url = reverse("accounts:sso_start") + (f"?next={next_path}" if next_path else "")
    start = client.get(start_url)
    assert start.status_code == 302
    back = urlsplit(oidc_provider.authorize(start["Location"], sub, deny=deny))
    return client.get(f"{back.path}?{back.query}")


def messages_on(response):
    return re.findall(r'<div class="alert alert-danger" role="alert">(.*?)</div>', response.content.decode(), re.S)


def refusals():
    return list(SecurityEvent.objects.filter(kind=Kind.SSO_REFUSED).values_list("username", "detail"))


def test_a_known_person_is_logged_in_by_verified_email_whatever_its_case(en_client, issuer, contact_oslo):
    response = sso_login(en_client, "oslo", next_path="/meetings/")

    assert (response.status_code, response["Location"]) == (302, "/meetings/")
    assert int(en_client.session["_auth_user_id"]) == contact_oslo.pk
    assert en_client.get(reverse("home")).status_code == 200
    assert User.objects.count() == 1


def test_the_providers_login_counts_as_the_second_factor(en_client, issuer, contact_oslo):
    give_two_factor(contact_oslo)

    sso_login(en_client, "oslo")

    assert en_client.session[two_factor.SSO_KEY] is True
    assert en_client.get(reverse("home")).status_code == 200


def test_without_trust_in_the_providers_login_the_portal_asks_for_its_code(en_client, issuer, contact_oslo, settings):
    settings.OIDC_TRUST_IDP_MFA = False
    give_two_factor(contact_oslo)

    sso_login(en_client, "oslo")

    assert en_client.get(reverse("home"))["Location"] == reverse("accounts:two_factor_verify") + "?next=/"


def test_an_unknown_person_is_refused_and_nobody_is_created(en_client, issuer):
    response = sso_login(en_client, "stranger")
    page = en_client.get(response["Location"])

    assert response["Location"] == reverse("login")
    assert messages_on(page) == [
        "No account in the portal has the e-mail address someone@elsewhere.example. Ask the programme management for an invitation."
    ]
    assert "_auth_user_id" not in en_client.session
    assert User.objects.filter(email__iexact="someone@elsewhere.example").exists() is False
    assert refusals() == [("someone@elsewhere.example", {"reason": "unknown"})]


def test_an_unverified_email_is_refused(en_client, issuer, contact_oslo):
    response = sso_login(en_client, "unverified")
    page = en_client.get(response["Location"])

    assert messages_on(page) == [
        "Your identity provider has not verified the e-mail address kontakt-oslo@example.org, so the portal cannot match it to an account."
    ]
    assert "_auth_user_id" not in en_client.session
    assert refusals() == [("kontakt-oslo@example.org", {"reason": "unverified"})]


def test_an_email_without_the_verified_claim_is_refused(en_client, issuer, contact_oslo):
    # A sub the provider does not know gets only the claim email = sub.
    response = sso_login(en_client, "kontakt-oslo@example.org")

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in en_client.session
    assert refusals() == [("kontakt-oslo@example.org", {"reason": "unverified"})]


def test_a_deactivated_person_is_refused(en_client, issuer, contact_oslo):
    contact_oslo.is_active = False
    contact_oslo.save(update_fields=["is_active"])

    response = sso_login(en_client, "oslo")
    page = en_client.get(response["Location"])

    assert messages_on(page) == [
        "Your account in the portal is deactivated. Ask the programme management if you need it again."
    ]
    assert "_auth_user_id" not in en_client.session
    event = SecurityEvent.objects.get(kind=Kind.SSO_REFUSED)
    assert (event.user, event.detail) == (contact_oslo, {"reason": "deactivated"})


def test_an_email_two_accounts_share_is_refused(en_client, issuer, contact_oslo):
    User.objects.create_user("kontakt-oslo-2", email="Kontakt-Oslo@Example.org")

    response = sso_login(en_client, "oslo")

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in en_client.session
    assert refusals() == [("KONTAKT-OSLO@example.org", {"reason": "ambiguous"})]


def test_denying_at_the_provider_says_so_on_the_login_page(en_client, issuer):
    response = sso_login(en_client, None, deny=True)
    page = en_client.get(response["Location"])

    assert messages_on(page) == ["Single sign-on did not log you in. Try again, or log in with your password."]
    assert "_auth_user_id" not in en_client.session


def test_a_callback_this_browser_did_not_start_is_refused_without_an_error_page(en_client, issuer):
    en_client.get(reverse("accounts:sso_start"))  # a session with a state, but not this one

    response = en_client.get(reverse("accounts:sso_callback") + "?code=made-up&state=made-up")

    assert (response.status_code, response["Location"]) == (302, reverse("login"))
    assert "_auth_user_id" not in en_client.session


def test_a_provider_that_does_not_answer_is_told_on_the_login_page(db, en_client, settings, monkeypatch):
    oidc_provider.configure(settings, monkeypatch, oidc_provider.closed_port_url())

    response = en_client.get(reverse("accounts:sso_start"))
    page = en_client.get(response["Location"])

    assert response["Location"] == reverse("login")
    assert messages_on(page) == [
        "Single sign-on is not available just now. Try again later, or log in with your password."
    ]
    assert SecurityEvent.objects.get(kind=Kind.SSO_REFUSED).detail["reason"] == "provider"


def test_the_discovery_document_is_fetched_when_needed_and_kept(en_client, issuer, settings, monkeypatch):
    cache.clear()
    login_page = en_client.get(reverse("login"))
    assert cache.get(oidc.discovery_cache_key(issuer)) is None  # showing the button fetches nothing

    sso_login(en_client, "oslo")

    assert cache.get(oidc.discovery_cache_key(issuer))["token_endpoint"] == f"{issuer}/oauth2/token"
    assert SSO_BUTTON in login_page.content.decode()


def test_the_login_page_has_the_button_only_when_sso_is_on(en_client, settings):
    settings.SSO_ENABLED = False

    page = en_client.get(reverse("login")).content.decode()

    assert SSO_BUTTON not in page
    assert en_client.get("/accounts/sso/start/").status_code == 404
    assert en_client.get("/accounts/sso/callback/").status_code == 404
