"""Logging in by single sign-on through a real OpenID Connect provider on loopback."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.accounts import oidc_provider
from tests.accounts.oidc_provider import person
from tests.browser.test_accessibility import violations


def test_a_city_contact_logs_in_by_single_sign_on(page, live_server, contact_oslo, settings, monkeypatch):
    contact_oslo.first_name, contact_oslo.last_name = "Kari", "Nordmann"
    contact_oslo.save(update_fields=["first_name", "last_name"])
    # The provider's own page asks a CDN for its stylesheet; there is no internet here.
    page.route(
        re.compile(r"^https://cdn\.jsdelivr\.net/"), lambda route: route.fulfill(content_type="text/css", body="")
    )

    with oidc_provider.provider(person("kari", "Kontakt-Oslo@example.org", name="Kari Nordmann")) as issuer:
        oidc_provider.configure(settings, monkeypatch, issuer)

        page.goto(f"{live_server.url}/accounts/login/")
        assert violations(Axe(), page, ("login with single sign-on",)) == []
        page.get_by_role("link", name="Log in with single sign-on").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(issuer)}/oauth2/authorize"))
        page.get_by_role("button", name="kari", exact=True).click()

        expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
        expect(page.get_by_role("banner").get_by_text("Kari Nordmann")).to_be_visible()
