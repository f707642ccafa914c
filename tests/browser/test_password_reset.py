"""A forgotten password: asked for on the login page, reset from the mail's link, then logging in."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import login

NEW_PASSWORD = "Sju-blå-sykler-2031"


def test_a_forgotten_password_is_reset_from_the_mail_and_the_person_logs_in(page, live_server, contact_oslo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password", level=1)).to_be_visible()
    page.locator("main form input[name=email]").fill("kontakt-oslo@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("If an account has this address")

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password-reset/\S+/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    page.goto(f"{live_server.url}/{path}")
    expect(page.get_by_role("heading", name="Choose a new password", level=1)).to_be_visible()
    page.locator("main form input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("main form input[name=new_password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password is changed", level=1)).to_be_visible()

    # The link has done its work: a second visit says so.
    page.goto(f"{live_server.url}/{path}")
    expect(page.locator("main")).to_contain_text("This link does not work")

    login(page, live_server, "kontakt-oslo", NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
