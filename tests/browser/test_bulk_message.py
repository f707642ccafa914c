"""A message to many, as programme management writes it: compose, see who gets it and how it reads
in both languages, send, and follow each mail in the outbox."""

from django.core import mail
from playwright.sync_api import expect

from actionplans.models import ActionProgramme
from cities.models import Profile


def test_management_writes_to_the_cities_that_have_not_submitted_and_follows_the_mails(
    page, live_server, log_in, manager, round_, oslo, bergen, contact_oslo, contact_bergen
):
    for city in (oslo, bergen):
        ActionProgramme.objects.get_or_create(round=round_, city=city)
    Profile.objects.create(user=contact_bergen, language="en")
    log_in(manager)

    page.get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Write a message").click()
    page.get_by_label("Contacts of the cities that have not submitted in a round").check()
    page.get_by_label("Round", exact=True).select_option(label=round_.name)
    page.get_by_label("Subject (Norwegian)").fill("Husk fristen 15. januar")
    page.get_by_label("Message (Norwegian)").fill("Send inn handlingsprogrammet innen fristen.")
    page.get_by_label("Subject (English)").fill("Remember the 15 January deadline")
    page.get_by_label("Message (English)").fill("Please submit your action programme by the deadline.")
    page.get_by_role("button", name="Show the recipients and a preview").click()

    preview = page.get_by_role("region", name="Before it goes")
    expect(preview).to_contain_text("2 people get this message")
    expect(preview).to_contain_text(contact_oslo.email)
    expect(preview).to_contain_text("Remember the 15 January deadline")
    expect(preview).to_contain_text("Husk fristen 15. januar")
    assert mail.outbox == []

    page.get_by_role("button", name="Send the message").click()
    expect(page.locator(".alert")).to_contain_text("The message is queued to 2 people.")
    expect(page.get_by_role("heading", name="Husk fristen 15. januar", level=1)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text(contact_bergen.email)
    expect(page.get_by_role("table")).to_contain_text("Sent")

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        (contact_bergen.email, "Remember the 15 January deadline"),
        (contact_oslo.email, "Husk fristen 15. januar"),
    ]
    page.get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("table")).to_contain_text("Remember the 15 January deadline")
