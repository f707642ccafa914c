"""A long list of checkboxes (lib/widgets.py CheckboxList) gets a filter box and works by keyboard."""

from playwright.sync_api import expect

from tests import factories


def test_a_long_checkbox_list_filters_and_keeps_what_is_checked(page, live_server, log_in, manager, oslo, bergen):
    for name in ("Drammen", "Fredrikstad", "Kristiansand", "Porsgrunn", "Sandnes", "Sarpsborg", "Skien"):
        factories.CityFactory(name=name)
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(manager)
    page.goto(f"{live_server.url}/agreements/new/")
    parties = page.get_by_role("group", name="Cities that are parties")
    options = parties.locator(".form-check")
    expect(options).to_have_count(9)

    filter_box = parties.get_by_label("Filter the list")
    filter_box.fill("berg")
    expect(options.locator("visible=true")).to_have_count(1)
    filter_box.press("Tab")  # to Bergen, the only one shown
    expect(parties.get_by_label("Bergen")).to_be_focused()
    page.keyboard.press("Space")
    filter_box.fill("")

    expect(options.locator("visible=true")).to_have_count(9)
    expect(parties.get_by_label("Bergen")).to_be_checked()
    expect(parties.get_by_label("Oslo")).not_to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
