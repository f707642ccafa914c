"""A lockout after repeated failed logins, and its unlock by programme management, after which
the person logs in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login


def try_password(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()


@pytest.fixture
def new_page(browser, browser_context_args, live_server):
    """``new_page()``: a page in a browser of its own, in English, failing the test on any JavaScript
    error. The lockout page answers 429 (Too Many Requests), which Chromium reports on the console
    as a resource that failed to load; that one report is expected here, and only that one."""
    contexts, errors = [], []

    def new_page():
        context = browser.new_context(**browser_context_args)
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5_000)

        def on_console(message):
            if message.type == "error" and "status of 429 (Too Many Requests)" not in message.text:
                errors.append(f"console on {page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert errors == [], "JavaScript errors in the browser:\n" + "\n".join(errors)


def test_a_lockout_is_unlocked_by_management_and_the_person_logs_in(new_page, live_server, contact_oslo, manager):
    page = new_page()
    # Four wrong passwords: the login page says so; the fifth locks the account.
    for _ in range(4):
        try_password(page, live_server, "kontakt-oslo", "feil-passord")
        expect(page.locator("main")).to_contain_text("Please enter a correct username and password.")
    try_password(page, live_server, "kontakt-oslo", "feil-passord")
    expect(page.get_by_role("heading", name="Too many failed logins", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Try again in 30 min.")
    expect(page.get_by_role("link", name="Reset your password")).to_be_visible()

    # Even the right password is refused while the lock lasts.
    try_password(page, live_server, "kontakt-oslo", "pw")
    expect(page.get_by_role("heading", name="Too many failed logins", level=1)).to_be_visible()

    # Programme management, in a browser of its own, sees the lock in the security log and unlocks it.
    manager_page = new_page()
    login(manager_page, live_server, "departementet")
    manager_page.goto(f"{live_server.url}/accounts/security-log/")
    expect(manager_page.get_by_role("heading", name="Security log", level=1)).to_be_visible()
    locked = manager_page.locator("section[aria-labelledby=locked-heading]")
    expect(locked).to_contain_text("kontakt-oslo")
    entries = manager_page.locator("section[aria-labelledby=entries-heading] tbody tr")
    expect(entries.filter(has_text="Account locked")).to_have_count(1)
    locked.get_by_role("button", name="Unlock kontakt-oslo").click()
    expect(manager_page).to_have_url(re.compile(r"/accounts/security-log/$"))
    expect(manager_page.get_by_role("status")).to_contain_text("The account kontakt-oslo is unlocked")
    expect(locked).to_contain_text("No account is locked now.")
    expect(entries.filter(has_text="Account unlocked")).to_have_count(1)

    # The person logs in at once.
    login(page, live_server, "kontakt-oslo")
    expect(page).to_have_url(f"{live_server.url}/")
