"""Deadlines: a city asks for more time and the programme management approves it;
the management moves the round's deadline for everyone."""

import datetime
import re

from playwright.sync_api import expect

from actionplans.models import ActionProgramme, Deadline, DeadlineExtension, ExtensionRequest

REASON = "Bystyret behandler handlingsprogrammet først 25. februar."
COMMENT = "Innvilget, planen må likevel være politisk behandlet."
ROUND_REASON = "Vedtatt i koordineringsgruppen: alle byer får to uker til."


def test_city_asks_for_more_time_and_management_approves(
    page, live_server, log_in, contact_oslo, manager, oslo_programme, mailoutbox
):
    main = page.locator("main")
    detail_url = f"{live_server.url}/programmes/{oslo_programme.pk}/"

    # Oslo's contact opens its programme from the overview: the round's deadline holds.
    log_in(contact_oslo)
    card = main.locator(".card").filter(has=page.get_by_role("heading", name="Oslo", exact=True))
    card.get_by_role("link", name="Work on the programme").click()
    expect(page).to_have_url(detail_url)
    deadline = main.locator("section[aria-labelledby=deadline-heading]")
    expect(deadline).to_contain_text("Deadline: 15/01/2030")

    # It asks for more time from the deadline card.
    deadline.get_by_role("link", name="Ask for more time").click()
    expect(page).to_have_url(f"{detail_url}extension/")
    expect(page.get_by_role("heading", name="Ask for more time", level=1)).to_be_visible()
    expect(main).to_contain_text("The action programme of Oslo is due on 15/01/2030.")

    # A date before the current deadline is refused next to the field, and nothing is stored.
    form = main.locator("form")
    date_field = form.get_by_label("New due date you ask for")
    date_field.fill("2030-01-10")
    form.get_by_label("Why do you need more time?").fill(REASON)
    form.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(f"{detail_url}extension/")
    expect(date_field).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(date_field.locator("..")).to_contain_text("Ask for a date after the current deadline.")
    assert not ExtensionRequest.objects.exists()

    # With a later date the request goes to the programme management.
    expect(form.get_by_label("Why do you need more time?")).to_have_value(REASON)
    date_field.fill("2030-03-01")
    form.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("Your request was sent to the programme management.")
    expect(deadline).to_contain_text("Request for more time until 01/03/2030: Pending")
    expect(deadline).to_contain_text("Deadline: 15/01/2030")
    page.get_by_role("button", name="Log out").click()

    # The programme management finds the request under "Extensions".
    log_in(manager)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Extensions").click()
    expect(page.get_by_role("heading", name="Extension requests", level=1)).to_be_visible()
    pending = main.locator("section[aria-labelledby=pending-heading]")
    row = pending.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text("Oslo")
    expect(row).to_contain_text("15/01/2030")
    expect(row).to_contain_text("01/03/2030")
    expect(row).to_contain_text(REASON)

    # It approves the new date, with a comment to the city.
    row.get_by_role("link", name="Decide – Oslo").click()
    expect(page.get_by_role("heading", name="Decide on a request for more time", level=1)).to_be_visible()
    facts = main.locator("dl")
    expect(facts).to_contain_text("Current deadline15/01/2030")
    expect(facts).to_contain_text("Asks for01/03/2030")
    expect(facts).to_contain_text(REASON)
    form = main.locator("form")
    form.get_by_label("Approve the new date").check()
    form.get_by_label("Comment to the city").fill(COMMENT)
    form.get_by_role("button", name="Save decision").click()
    expect(page).to_have_url(f"{live_server.url}/extensions/")
    expect(page.get_by_role("status")).to_contain_text("The decision was saved and the city was told.")
    expect(pending).to_contain_text("No requests are waiting.")
    decided = main.locator("section[aria-labelledby=decided-heading] tbody tr")
    expect(decided).to_have_count(1)
    expect(decided).to_contain_text("Approved")
    expect(decided).to_contain_text(COMMENT)
    page.get_by_role("button", name="Log out").click()

    # Oslo's contact now sees its own deadline on the overview and on the programme page.
    log_in(contact_oslo)
    card = main.locator(".card").filter(has=page.get_by_role("heading", name="Oslo", exact=True))
    expect(card).to_contain_text("The city's own deadline")
    expect(card).to_contain_text("01/03/2030")
    card.get_by_role("link", name="Work on the programme").click()
    expect(deadline).to_contain_text("The city's own deadline: 01/03/2030")
    expect(deadline).to_contain_text(f"Request for more time until 01/03/2030: Approved – “{COMMENT}”")

    request = ExtensionRequest.objects.get()
    assert (request.programme_id, request.requested_date, request.reason, request.requested_by) == (
        oslo_programme.pk,
        datetime.date(2030, 3, 1),
        REASON,
        contact_oslo,
    )
    assert (request.status, request.decided_by, request.comment) == (ExtensionRequest.Status.APPROVED, manager, COMMENT)
    programme = ActionProgramme.objects.get(pk=oslo_programme.pk)
    assert programme.effective_due_date == datetime.date(2030, 3, 1)
    # The round's deadline is untouched; the management and then the city were e-mailed.
    assert Deadline.objects.get().due_date == datetime.date(2030, 1, 15)
    assert [m.to for m in mailoutbox] == [[manager.email], [contact_oslo.email]]


def test_management_moves_the_round_deadline(page, live_server, log_in, contact_oslo, manager, oslo_programme):
    main = page.locator("main")
    round_url = f"{live_server.url}/rounds/{oslo_programme.round_id}/"

    # The programme management opens the round from the overview.
    log_in(manager)
    round_card = main.locator("section[aria-labelledby=round-heading]")
    expect(round_card).to_contain_text("Deadline: 15/01/2030")
    round_card.get_by_role("link", name="About the round and its reminders").click()
    expect(page).to_have_url(round_url)
    expect(page.get_by_role("heading", name="Handlingsprogram 2030", level=1)).to_be_visible()
    deadline = main.locator("section[aria-labelledby=deadline-heading]")
    expect(deadline).to_contain_text("The deadline has not been moved.")

    # It moves the deadline by two weeks.
    deadline.get_by_role("link", name="Move the deadline").click()
    expect(page).to_have_url(f"{round_url}extend/")
    expect(page.get_by_role("heading", name="Move the deadline", level=1)).to_be_visible()
    form = main.locator("form")
    expect(form.get_by_label("New due date")).to_have_value("2030-01-15")
    form.get_by_label("New due date").fill("2030-01-29")
    form.get_by_label("Reason").fill(ROUND_REASON)
    form.get_by_role("button", name="Move the deadline").click()

    # The round page shows the new date and the change in the history.
    expect(page).to_have_url(round_url)
    expect(page.get_by_role("status")).to_contain_text("The deadline was moved; the contacts of the cities it concerns")
    expect(deadline).to_contain_text("Deadline: 29/01/2030")
    history = deadline.get_by_role("table", name="Changes of the deadline")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td")).to_have_text(
        ["15/01/2030", "29/01/2030", ROUND_REASON, re.compile(rf"^{re.escape(manager.username)}, ")]
    )
    page.get_by_role("button", name="Log out").click()

    # Oslo's contact sees the new date on the overview and the change on its programme page.
    log_in(contact_oslo)
    expect(main.locator("section[aria-labelledby=round-heading]")).to_contain_text("Deadline: 29/01/2030")
    card = main.locator(".card").filter(has=page.get_by_role("heading", name="Oslo", exact=True))
    card.get_by_role("link", name="Work on the programme").click()
    programme_deadline = main.locator("section[aria-labelledby=deadline-heading]")
    expect(programme_deadline).to_contain_text("Deadline: 29/01/2030")
    programme_deadline.get_by_text("Extensions").click()
    expect(programme_deadline).to_contain_text(f"Moved from 15/01/2030 to 29/01/2030: {ROUND_REASON}")

    extension = DeadlineExtension.objects.get()
    assert (extension.old_date, extension.new_date, extension.reason, extension.decided_by) == (
        datetime.date(2030, 1, 15),
        datetime.date(2030, 1, 29),
        ROUND_REASON,
        manager,
    )
    assert Deadline.objects.get().due_date == datetime.date(2030, 1, 29)
    assert ActionProgramme.objects.get(pk=oslo_programme.pk).effective_due_date == datetime.date(2030, 1, 29)
