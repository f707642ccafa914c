"""Journey 1: a city contact uploads a draft, adds a measure and submits on time."""

import re

from playwright.sync_api import expect

from actionplans.models import ActionProgramme, Draft
from tests.files import make_exe, make_pdf


def _pdf(name, content):
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def test_city_contact_uploads_adds_a_measure_and_submits(
    page, live_server, log_in, contact_oslo, oslo_programme, atp, energy
):
    detail_url = f"{live_server.url}/programmes/{oslo_programme.pk}/"

    # Log in and land on the overview: the round, its deadline and Oslo's card.
    log_in(contact_oslo)
    expect(page).to_have_url(f"{live_server.url}/")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    expect(main.get_by_role("heading", name="Handlingsprogram 2030")).to_be_visible()
    expect(main).to_contain_text("Deadline: 15/01/2030")
    card = main.locator(".card").filter(has=page.get_by_role("heading", name="Oslo", exact=True))
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Not started")

    # Open the programme.
    card.get_by_role("link", name="Work on the programme").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("heading", name="Action programme of Oslo", level=1)).to_be_visible()
    expect(main).to_contain_text("No version has been uploaded yet.")

    # Upload version 1.
    main.get_by_role("link", name="Upload a new version").first.click()
    expect(page).to_have_url(f"{detail_url}drafts/new/")
    form = main.locator("form")
    form.locator("input[name=file]").set_input_files(_pdf("utkast.pdf", make_pdf("Utkast")))
    form.locator("textarea[name=note]").fill("Første utkast til politisk behandling")
    form.locator("[type=submit]").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("Version 1 was uploaded.")
    versions = main.locator("section[aria-labelledby=versions-heading] tbody tr")
    expect(versions).to_have_count(1)
    expect(versions.get_by_role("rowheader")).to_have_text("1")
    expect(versions.get_by_role("link", name="utkast.pdf")).to_have_attribute("href", re.compile(r"/download/$"))
    expect(versions).to_contain_text("Første utkast til politisk behandling")
    expect(versions).to_contain_text(contact_oslo.username)
    expect(main.locator(".status-badge")).to_have_text("Draft")

    # Add a measure.
    main.get_by_role("link", name="Add a measure", exact=True).click()
    expect(page).to_have_url(f"{detail_url}measures/new/")
    form = main.locator("form")
    form.locator("select[name=theme_area]").select_option(label="Land use and transport")
    form.locator("input[name=title]").fill("Parkeringsnorm for nye boliger")
    form.locator("input[name=expected_effect]").fill("1234.5")
    form.locator("input[name=cost_estimate]").fill("2500000")
    form.locator("select[name=status]").select_option("ongoing")
    form.locator("[type=submit]").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("The measure was added.")
    measures = main.get_by_role("table", name="Measures in Land use and transport")
    row = measures.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text("Parkeringsnorm for nye boliger")
    expect(row.locator("td")).to_have_text(["–", "Ongoing", "1,234.5", "2,500,000", "No", re.compile("Edit")])
    expect(main).to_contain_text("Total expected effect: 1,234.5 t CO₂e per year")

    # Submit: the confirmation names the version that will be submitted.
    main.get_by_role("link", name="Submit…").click()
    expect(page).to_have_url(f"{detail_url}submit/")
    expect(main).to_contain_text("Version 1 (utkast.pdf) will be submitted.")
    expect(main).to_contain_text("1 measure with a total expected effect of 1,234.5 t CO₂e per year.")
    main.get_by_role("button", name="Submit the programme").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("The action programme was submitted. Thank you!")
    expect(main.locator(".status-badge")).to_have_text("Submitted on time")
    submission = main.locator("section[aria-labelledby=submission-heading]")
    expect(submission).to_contain_text("Version 1, on time.")
    expect(versions.get_by_role("rowheader")).to_have_text("1 submitted")
    # The city can no longer change it.
    expect(main.get_by_role("link", name="Upload a new version")).to_have_count(0)
    expect(main.get_by_role("link", name="Submit…")).to_have_count(0)

    programme = ActionProgramme.objects.get(pk=oslo_programme.pk)
    draft = Draft.objects.get(programme=programme)
    assert programme.status == ActionProgramme.Status.SUBMITTED
    assert programme.submitted_draft == draft
    assert (draft.number, draft.original_name, draft.content_type) == (1, "utkast.pdf", "application/pdf")
    assert programme.submitted_by == contact_oslo
    assert programme.submitted_on_time is True
    assert programme.measures.get().expected_effect == 1234.5


def test_renamed_executable_is_refused(page, live_server, log_in, contact_oslo, oslo_programme):
    upload_url = f"{live_server.url}/programmes/{oslo_programme.pk}/drafts/new/"
    log_in(contact_oslo)
    page.goto(upload_url)
    form = page.locator("main form")
    form.locator("input[name=file]").set_input_files(_pdf("x.pdf", make_exe()))
    form.locator("[type=submit]").click()

    expect(page).to_have_url(upload_url)
    expect(page.get_by_role("heading", name="Upload a new version", level=1)).to_be_visible()
    expect(page.locator("main form")).to_contain_text(
        "Only PDF, DOCX and ODT documents are accepted; this file is not one of them."
    )
    expect(page.locator("main form input[name=file]")).to_have_class(re.compile(r"\bis-invalid\b"))
    assert not Draft.objects.filter(programme=oslo_programme).exists()
    oslo_programme.refresh_from_db()
    assert oslo_programme.status == ActionProgramme.Status.NOT_STARTED
