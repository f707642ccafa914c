"""The minutes editor adds rows for decisions and action items with a button: in the page with
JavaScript, by sending the form back (saving nothing) without it. Its rows are compact."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import ActionItem, Decision, Minutes
from tests.browser.conftest import PASSWORD, login

FIRST, SECOND = "Neste samling holdes i Bergen.", "Fristen for handlingsprogrammene holdes."
ACTION = "Sende ut mal for klimaregnskap."


def test_add_rows_in_the_page_and_save(page, live_server, log_in, manager, contact_bergen, gathering):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(manager)
    page.goto(f"{live_server.url}/meetings/{gathering.pk}/minutes/")
    form = page.locator("main form#minutes-form")
    decisions = form.get_by_role("group", name="New decision")
    expect(decisions).to_have_count(1)
    # A fresh editor is no endless column.
    assert page.evaluate("document.documentElement.scrollHeight") < 2000

    decisions.first.get_by_label("Decision").fill(FIRST)
    form.get_by_role("button", name="Add a decision").click()

    expect(decisions).to_have_count(2)
    expect(decisions.nth(1).get_by_label("Decision")).to_be_focused()
    expect(form.locator("input[name=decisions-TOTAL_FORMS]")).to_have_value("2")
    page.keyboard.type(SECOND)
    expect(decisions.first.get_by_label("Decision")).to_have_value(FIRST)

    form.get_by_role("button", name="Add an action item").click()
    actions = form.get_by_role("group", name="New action item")
    expect(actions).to_have_count(2)
    expect(actions.nth(1).get_by_label("What")).to_be_focused()
    actions.nth(1).get_by_label("What").fill(ACTION)
    actions.nth(1).get_by_label("Owner").select_option(label=contact_bergen.username)
    expect(form.locator("select option", has_text="---------")).to_have_count(0)
    form.get_by_role("button", name="Save minutes").click()

    expect(page.get_by_role("status")).to_contain_text("The minutes were saved.")
    minutes = Minutes.objects.get(meeting=gathering)
    assert list(Decision.objects.filter(minutes=minutes).order_by("pk").values_list("text", flat=True)) == [
        FIRST,
        SECOND,
    ]
    assert list(ActionItem.objects.values_list("text", "owner")) == [(ACTION, contact_bergen.pk)]
    # The meeting page lists who attended.
    expect(page.locator("#attendees")).to_have_text(
        re.compile(r"kontakt-bergen, kontakt-oslo|kontakt-oslo, kontakt-bergen")
    )


def test_add_rows_without_javascript(browser, browser_context_args, live_server, manager, gathering):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(5_000)
    login(page, live_server, manager.username, PASSWORD)
    page.goto(f"{live_server.url}/meetings/{gathering.pk}/minutes/")
    form = page.locator("main form#minutes-form")
    form.get_by_label("Main points").fill("Byene la fram status.")
    form.get_by_role("group", name="New decision").first.get_by_label("Decision").fill(FIRST)

    form.get_by_role("button", name="Add a decision").click()

    expect(page.get_by_role("status")).to_contain_text("A row was added. Nothing is saved until you save the minutes.")
    expect(form.get_by_role("group", name="New decision")).to_have_count(2)
    expect(form.get_by_label("Main points")).to_have_value("Byene la fram status.")
    expect(form.get_by_role("group", name="New decision").first.get_by_label("Decision")).to_have_value(FIRST)
    expect(form.get_by_role("group", name="New decision").nth(1).get_by_label("Decision")).to_be_focused()
    assert not Minutes.objects.exists()
    context.close()


@pytest.mark.parametrize("width", [375])
def test_editor_fits_a_phone(page, live_server, log_in, manager, gathering, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(manager)
    page.goto(f"{live_server.url}/meetings/{gathering.pk}/minutes/")
    page.locator("main form#minutes-form").get_by_role("button", name="Add an action item").click()

    assert page.evaluate("document.documentElement.scrollWidth") <= width
