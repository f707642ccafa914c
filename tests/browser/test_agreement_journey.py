"""Programme management moves an agreement to signed and uploads the signed text."""

import re

from playwright.sync_api import expect

from tests.files import make_pdf


def test_management_signs_an_agreement_with_its_document(page, live_server, log_in, manager, negotiating):
    agreement = negotiating

    log_in(manager)
    page.get_by_role("link", name="Agreements").first.click()
    main = page.locator("main")
    negotiating = main.locator("section", has=page.get_by_role("heading", name=re.compile("Negotiating")))
    negotiating.get_by_role("link", name=agreement.title).click()
    expect(page.get_by_role("heading", name=agreement.title, level=1)).to_be_visible()

    # Upload the signed text.
    main.get_by_role("link", name="Upload a document").click()
    form = main.locator("form")
    form.locator("input[name=file]").set_input_files(
        {"name": "avtale-signert.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}
    )
    form.locator("select[name=kind]").select_option("signed")
    form.locator("[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1 was uploaded.")
    documents = main.locator("section[aria-labelledby=documents-heading] tbody tr")
    expect(documents).to_have_count(1)
    expect(documents).to_contain_text("avtale-signert.pdf")
    expect(documents).to_contain_text("Signed version")

    # Move it to signed.
    status_form = main.locator("section[aria-labelledby=status-heading] form")
    status_form.locator("select[name=to_status]").select_option("signed")
    status_form.locator("textarea[name=comment]").fill("Signert på det politiske møtet")
    status_form.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("The status was changed.")
    timeline = main.locator("section[aria-labelledby=timeline-heading]")
    expect(timeline).to_contain_text("Negotiating → Signed")
    expect(timeline).to_contain_text("Signert på det politiske møtet")

    agreement.refresh_from_db()
    assert agreement.status == "signed"
    assert agreement.signed_date is not None
    assert agreement.documents.get().kind == "signed"
