"""A programme management user whose role requires two-factor sets it up at login, keeps the
recovery codes, logs out, and logs in again with the password and a code from the app."""

import re
from base64 import b32decode

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts import two_factor
from tests.browser.test_accessibility import violations


def app_code(secret, steps_ahead=0):
    """What an authenticator app shows for the key typed from the page (`steps_ahead` of 30 s)."""
    return f"{TOTP(b32decode(secret.replace(' ', '')), drift=steps_ahead).token():06d}"


def test_management_sets_up_two_factor_and_logs_in_with_a_code(page, live_server, log_in, manager, settings):
    settings.TWO_FACTOR_ENFORCE = True
    settings.TWO_FACTOR_REQUIRED_ROLES = ["programme_management", "staff"]
    axe, problems = Axe(), []

    # The password alone leads to the set-up page, and nowhere else.
    log_in(manager)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/$"))
    expect(page.get_by_text("Your role in the programme requires two-factor login.")).to_be_visible()
    page.goto(f"{live_server.url}/meetings/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/$"))

    # Scan (here: type) the key, confirm with the app's code.
    expect(page.get_by_role("img", name="QR code for setting up the authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    problems += violations(axe, page, ("setup",))
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("heading", name="Recovery codes", level=1)).to_be_visible()
    expect(page.locator(".recovery-code")).to_have_count(two_factor.RECOVERY_CODE_COUNT)
    problems += violations(axe, page, ("recovery codes",))

    # The portal is open now; log out.
    page.get_by_role("link", name="Back to your profile").click()
    expect(
        page.get_by_text("After your password the portal asks for a code from your authenticator app.")
    ).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # Password, then the code (the next one the app shows: the one used is spent).
    log_in(manager)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    problems += violations(axe, page, ("verify",))
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    assert problems == []
