"""The language switch in the page header: the page follows at once, and the
choice follows the user to another browser."""

from playwright.sync_api import expect

from cities.models import Profile


def test_the_header_switches_the_language_and_the_user_keeps_it(page, live_server, log_in, contact_oslo, round_):
    log_in(contact_oslo)  # in English (the fixture's cookie)
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()

    page.get_by_role("banner").get_by_role("button", name="Norsk", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", name="Oversikt", level=1)).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("button", name="English")).to_be_visible()
    assert Profile.objects.get(user=contact_oslo).language == "nb"

    # Another browser, with no cookie of its own: Norwegian again after logging in.
    page.get_by_role("button", name="Logg ut").click()
    page.context.clear_cookies()
    log_in(contact_oslo)
    expect(page.get_by_role("heading", name="Oversikt", level=1)).to_be_visible()

    # And back to English.
    page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    assert Profile.objects.get(user=contact_oslo).language == "en"
