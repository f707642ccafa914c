"""The organiser writes, approves and publishes the minutes of a held meeting;
a participant reads them on the meeting page and downloads them as PDF."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import ActionItem, Invitation, Meeting, Minutes
from meetings.services import create_meeting
from tests import pdf as read_pdf

TITLE = "Koordineringsgruppemøte februar"
MAIN_POINTS = "Byene la fram status for handlingsprogrammene."
DECISION = "Fristen for handlingsprogrammene holdes."
ACTION = "Sende ut mal for klimaregnskap til alle byene."


@pytest.fixture
def meeting(manager, atp, contact_bergen):
    """Held; it ended yesterday. Bergen's contact attended."""
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = create_meeting(
        by=manager,
        theme_areas=[atp],
        kind=Meeting.Kind.COORDINATION_GROUP,
        title=TITLE,
        venue="Klima- og miljødepartementet",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        status=Meeting.Status.HELD,
    )
    Invitation.objects.create(
        meeting=meeting, user=contact_bergen, response=Invitation.Response.ATTENDING, attended=True
    )
    return meeting


def _open_past_meeting(page):
    main = page.locator("main")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", name="Meetings", level=1)).to_be_visible()
    main.get_by_role("link", name="Past").click()
    main.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()


def test_organiser_publishes_minutes_and_a_participant_reads_them(
    page, live_server, log_in, manager, contact_bergen, meeting, mailoutbox
):
    main = page.locator("main")
    meeting_url = f"{live_server.url}/meetings/{meeting.pk}/"
    minutes = main.locator("section[aria-labelledby=minutes]")

    # The organiser opens the held meeting: no minutes yet.
    log_in(manager)
    _open_past_meeting(page)
    expect(page).to_have_url(meeting_url)
    expect(minutes).to_contain_text("No minutes have been published yet.")

    # It writes the minutes: main points, a decision and an action item with owner and due date.
    main.get_by_role("link", name="Write minutes").click()
    expect(page).to_have_url(f"{meeting_url}minutes/")
    expect(page.get_by_role("heading", name=f"Minutes of {TITLE}", level=1)).to_be_visible()
    expect(main).to_contain_text("Invitees see the minutes once they are approved and published.")
    form = main.locator("form")
    form.get_by_label("Main points").fill(MAIN_POINTS)
    decision = form.get_by_role("group", name="New decision").first
    decision.get_by_label("Decision").fill(DECISION)
    action = form.get_by_role("group", name="New action item").first
    action.get_by_label("What").fill(ACTION)
    action.get_by_label("Owner").select_option(label=contact_bergen.username)
    action.get_by_label("Due date").fill("2030-03-01")
    form.get_by_role("button", name="Save minutes").click()
    expect(page).to_have_url(f"{meeting_url}#minutes")
    expect(page.get_by_role("status")).to_contain_text("The minutes were saved.")
    expect(minutes.locator(".badge")).to_have_text("Draft")
    expect(minutes).to_contain_text(MAIN_POINTS)

    # It approves them; they are not published yet.
    minutes.get_by_role("button", name="Approve minutes").click()
    expect(page.get_by_role("status")).to_contain_text("The minutes were approved.")
    expect(minutes.locator(".badge")).to_have_text("Approved")
    expect(minutes).to_contain_text(f"Approved by {manager.username}, ")
    expect(minutes.get_by_role("button", name="Approve minutes")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    # Bergen's contact does not see approved minutes before they are published.
    log_in(contact_bergen)
    _open_past_meeting(page)
    expect(minutes).to_contain_text("No minutes have been published yet.")
    expect(minutes).not_to_contain_text(MAIN_POINTS)
    expect(minutes.get_by_role("link", name="Download the minutes (PDF)")).to_have_count(0)
    assert page.request.get(f"{meeting_url}minutes.pdf").status == 404
    page.get_by_role("button", name="Log out").click()

    # The organiser publishes them; those who attended are told.
    log_in(manager)
    _open_past_meeting(page)
    minutes.get_by_role("button", name="Publish and notify participants").click()
    expect(page.get_by_role("status")).to_contain_text("The minutes were published; those who attended get an e-mail.")
    expect(minutes.locator(".badge")).to_have_text("Published")
    expect(minutes).to_contain_text(re.compile(r"Published \d\d/\d\d/\d{4}\."))
    expect(minutes.get_by_role("button", name="Publish and notify participants")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    # Bergen's contact reads the published minutes on the meeting page…
    log_in(contact_bergen)
    _open_past_meeting(page)
    expect(minutes.get_by_role("heading", name="Main points")).to_be_visible()
    expect(minutes).to_contain_text(MAIN_POINTS)
    expect(minutes.get_by_role("heading", name="Decisions")).to_be_visible()
    expect(minutes.get_by_role("listitem")).to_have_text([DECISION])
    actions = minutes.get_by_role("table", name="Action items from the meeting").locator("tbody tr")
    expect(actions).to_have_count(1)
    expect(actions.get_by_role("rowheader")).to_have_text(ACTION)
    expect(actions.locator("td")).to_have_text([contact_bergen.username, "01/03/2030", "Open"])
    # …without the organiser's buttons…
    expect(minutes.get_by_role("button")).to_have_count(0)
    expect(main.get_by_role("link", name="Edit minutes")).to_have_count(0)

    # …and downloads them as PDF.
    with page.expect_download() as download_info:
        minutes.get_by_role("link", name="Download the minutes (PDF)").click()
    download = download_info.value
    day = timezone.localtime(meeting.starts_at).date()
    assert download.suggested_filename == f"minutes-{day:%Y-%m-%d}-koordineringsgruppemote-februar.pdf"
    text = read_pdf.text(Path(download.path()).read_bytes())
    assert TITLE in text
    assert MAIN_POINTS in text
    assert DECISION in text

    stored = Minutes.objects.get(meeting=meeting)
    assert (stored.status, stored.main_points, stored.approved_by) == (Minutes.Status.PUBLISHED, MAIN_POINTS, manager)
    assert stored.published_at is not None
    assert [d.text for d in stored.decisions.all()] == [DECISION]
    item = ActionItem.objects.get()
    assert (item.minutes, item.text, item.owner, item.due_date) == (
        stored,
        ACTION,
        contact_bergen,
        datetime.date(2030, 3, 1),
    )
    # Only the participant was e-mailed, once.
    assert [m.to for m in mailoutbox] == [[contact_bergen.email]]
