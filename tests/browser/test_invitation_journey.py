"""Programme management invites a city contact; the contact sets a password from the mail and logs in."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import login

PASSWORD = "Grønne-byer-i-2031"


def test_management_invites_a_contact_who_sets_a_password_and_logs_in(page, live_server, log_in, manager, oslo, bergen):
    log_in(manager)
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    # Bergen has no contact: the page says so and offers to invite one.
    page.get_by_role("link", name="Bergen: invite a contact").click()
    expect(page.get_by_role("heading", name="Invite a person", level=1)).to_be_visible()
    form = page.locator("main form").first
    form.get_by_label("First name").fill("Kari")
    form.get_by_label("Last name").fill("Nordmann")
    form.get_by_label("E-mail").fill("kari.nordmann@bergen.kommune.no")
    form.get_by_label("Language of the invitation").select_option("en")
    first_role = page.get_by_role("group", name="Role 1")
    expect(first_role.get_by_label("Role")).to_have_value("city_contact")
    expect(first_role.get_by_label("City")).to_have_value(str(bergen.pk))
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".alert-success")).to_contain_text("Kari Nordmann was invited")
    row = page.get_by_role("row").filter(has_text="Kari Nordmann")
    expect(row).to_contain_text("Invitation pending")
    expect(row).to_contain_text("City contact (Bergen)")

    (message,) = mail.outbox
    assert message.subject == "You are invited to the portal of Cities of the Future"
    path = re.search(r"http://[^/\s]+(/people/welcome/\S+/)", message.body).group(1)

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", name="Welcome, Kari Nordmann", level=1)).to_be_visible()
    page.locator("main form input[name=new_password1]").fill(PASSWORD)
    page.locator("main form input[name=new_password2]").fill(PASSWORD)
    page.get_by_role("button", name="Set the password and log in").click()
    expect(page.locator(".alert-success")).to_contain_text("Your password is set")
    expect(page).to_have_url(f"{live_server.url}/")

    # The link works once.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("main")).to_contain_text("This invitation has already been used")

    login(page, live_server, "kari.nordmann@bergen.kommune.no", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
