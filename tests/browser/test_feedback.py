"""A participant gives feedback after a network gathering; the organiser reads it in the summary."""

import re

from playwright.sync_api import expect

from meetings.models import Feedback
from tests.browser.conftest import GATHERING

COMMENT = "Programmet var for tett; vi trenger mer tid til diskusjon mellom byene."


def test_participant_gives_feedback_and_organiser_reads_the_summary(
    page, live_server, log_in, manager, contact_bergen, contact_oslo, gathering
):
    main = page.locator("main")
    meeting_url = f"{live_server.url}/meetings/{gathering.pk}/"

    # Bergen's contact finds the gathering among the past meetings.
    log_in(contact_bergen)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", name="Meetings", level=1)).to_be_visible()
    main.get_by_role("link", name="Past").click()
    main.get_by_role("link", name=GATHERING).click()
    expect(page).to_have_url(meeting_url)
    expect(page.get_by_role("heading", name=GATHERING, level=1)).to_be_visible()

    # The survey.
    main.get_by_role("link", name="Give feedback").click()
    expect(page.get_by_role("heading", name=f"Feedback on {GATHERING}", level=1)).to_be_visible()
    main.get_by_role("group", name=re.compile(r"^Overall, how was the gathering")).get_by_label("4").check()
    main.get_by_role("group", name=re.compile(r"^The programme was")).get_by_label("Too tight").check()
    main.get_by_role("group", name=re.compile(r"^Enough time for discussion")).get_by_label("Partly").check()
    main.get_by_role("group", name=re.compile(r"^How useful were the host city")).get_by_label("5").check()
    main.get_by_label("Anything else?").fill(COMMENT)
    main.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")
    expect(page).to_have_url(meeting_url)

    # The answer can be changed while the survey is open.
    main.get_by_role("link", name="Change your feedback").click()
    expect(main.get_by_role("group", name=re.compile(r"^Overall, how was")).get_by_label("4")).to_be_checked()
    expect(main.get_by_label("Anything else?")).to_have_value(COMMENT)
    main.get_by_role("group", name=re.compile(r"^Overall, how was")).get_by_label("3").check()
    main.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")
    page.get_by_role("button", name="Log out").click()

    # The organiser opens the summary from the meeting page.
    log_in(manager)
    page.goto(meeting_url)
    main.get_by_role("link", name="Feedback summary").click()
    expect(page.get_by_role("heading", name=f"Feedback summary: {GATHERING}", level=1)).to_be_visible()
    expect(main.locator("#answer-count")).to_have_text("1")
    expect(main.locator("#average-rating")).to_have_text("3.0")
    expect(main.locator("#average-host")).to_have_text("5.0")
    pace = main.get_by_role("table", name="The programme was")
    expect(pace.get_by_role("row", name="Too tight")).to_contain_text("1")
    expect(pace.get_by_role("row", name="About right")).to_contain_text("0")
    enough = main.get_by_role("table", name="Enough time for discussion and exchange between cities")
    expect(enough.get_by_role("row", name="Partly")).to_contain_text("1")
    comments = main.locator("section[aria-labelledby=comments-heading]")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).not_to_contain_text(contact_bergen.username)
    missing = main.locator("section[aria-labelledby=missing-heading]")
    expect(missing.get_by_role("listitem")).to_have_text([contact_oslo.username])
    expect(main).not_to_contain_text(contact_bergen.username)

    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.rating, feedback.pace, feedback.enough_discussion) == (
        contact_bergen,
        3,
        Feedback.Pace.TOO_TIGHT,
        Feedback.Enough.PARTLY,
    )
    assert (feedback.host_usefulness, feedback.comment) == (5, COMMENT)
