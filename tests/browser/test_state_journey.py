"""A city asks the state for something on a measure, the body answers with an offer (and publishes it), and the
programme management turns the offer into an agreement with the form filled in from it."""

import re

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement
from state.models import Instrument, StateRequest
from tests.browser.conftest import MEASURE

NEED = "Belønningsmidler til flere bussavganger på linjene over Puddefjordsbroen"
OFFER = "Tilskudd fra belønningsordningen til flere avganger fra høsten"
CONDITIONS = "Bergen og fylkeskommunen søker sammen"
INSTRUMENT = "The reward scheme for public transport"


@pytest.fixture
def instrument(partner, atp):
    """KS's (the partner's body's) grant in land use and transport."""
    instrument = Instrument.objects.create(
        body=partner.memberships.get().organisation,
        name_nb="Belønningsordningen for kollektivtransport",
        name_en=INSTRUMENT,
        kind=Instrument.Kind.GRANT,
        offers_nb="Tilskudd til bedre kollektivtransport.",
        offers_en="Grants for better public transport.",
    )
    instrument.theme_areas.set([atp])
    return instrument


def test_a_request_on_a_measure_becomes_an_agreement(
    page, live_server, log_in, contact_bergen, partner, manager, submitted, instrument
):
    programme, measure = submitted
    main = page.locator("main")
    status = page.get_by_role("status")

    # Bergen's contact asks KS, from its programme, for the instrument on its measure.
    log_in(contact_bergen)
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    main.get_by_role("link", name="Ask the state").click()
    expect(page.get_by_role("heading", name="Ask the state", level=1)).to_be_visible()
    form = main.locator("form")
    form.get_by_label("Measure").select_option(label=MEASURE)
    form.get_by_label("Instrument").select_option(label=f"KS: {INSTRUMENT}")
    form.get_by_label("What is needed").fill(NEED)
    form.get_by_role("button", name="Send the request").click()
    expect(status).to_contain_text("The request was sent to KS.")
    expect(page.get_by_role("heading", name="Request from Bergen to KS", level=1)).to_be_visible()
    expect(main).to_contain_text(NEED)
    request_url = page.url
    page.get_by_role("button", name="Log out").click()

    # KS's partner finds it among the requests to KS, acknowledges it and answers with an offer.
    log_in(partner)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="State instruments").click()
    main.get_by_role("link", name="Requests to KS").click()
    row = main.locator("tbody tr").filter(has_text=MEASURE)
    expect(row).to_contain_text("Asked")
    row.get_by_role("link", name=re.compile("Request from Bergen to KS")).click()
    expect(page).to_have_url(request_url)
    acknowledge = main.locator("section[aria-labelledby=acknowledge-heading]")
    acknowledge.get_by_label("Comment").fill("Vi ser på det")
    acknowledge.get_by_role("button", name="Acknowledge").click()
    expect(status).to_contain_text("The request was acknowledged")
    main.get_by_text("Make an offer").click()
    offer = main.locator("form", has=page.get_by_role("button", name="Send the offer"))
    offer.get_by_label("What is offered").fill(OFFER)
    offer.get_by_label("Amount (NOK)").fill("12 000 000")
    offer.get_by_label("From").fill("2030-08-01")
    offer.get_by_label("Conditions").fill(CONDITIONS)
    offer.get_by_role("button", name="Send the offer").click()
    expect(status).to_contain_text("The offer was sent to the city.")
    answer = main.locator("section[aria-labelledby=answer-heading]")
    expect(answer).to_contain_text(OFFER)
    expect(answer).to_contain_text("NOK 12,000,000")
    # It publishes the offer for the other cities.
    answer.get_by_role("button", name="Publish the offer for the other cities").click()
    expect(status).to_contain_text("The offer is published on the instrument's page for every city.")
    page.get_by_role("button", name="Log out").click()

    # The programme management turns the offer into an agreement with the form filled in from it.
    log_in(manager)
    page.goto(request_url)
    main.get_by_role("link", name="Make an agreement from this offer").click()
    expect(page.get_by_role("heading", name="Make an agreement from this offer", level=1)).to_be_visible()
    form = main.locator("form")
    expect(form.get_by_label("Title")).to_have_value(f"{INSTRUMENT} – Bergen")
    expect(form.locator("textarea[name=description]")).to_contain_text(OFFER)
    expect(form.locator("input[name=period_start]")).to_have_value("2030-08-01")
    form.get_by_role("button", name="Save agreement").click()
    expect(status).to_contain_text("The agreement was proposed; the request is marked as turned into it.")
    agreement = Agreement.objects.get()
    expect(page).to_have_url(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_role("heading", name=f"{INSTRUMENT} – Bergen", level=1)).to_be_visible()
    expect(main).to_contain_text("NOK 12,000,000")
    expect(main).to_contain_text(MEASURE)

    # The agreement says where it came from; the request, what it became.
    main.get_by_role("link", name="From the request of Bergen to KS").click()
    expect(page).to_have_url(request_url)
    expect(main.locator("p").first).to_contain_text("Turned into an agreement")
    expect(
        main.locator("section[aria-labelledby=answer-heading]").get_by_role("link", name=agreement.title)
    ).to_be_visible()
    expect(main.locator("section[aria-labelledby=history-heading]")).to_contain_text(
        "Answered with an offer → Turned into an agreement"
    )

    state_request = StateRequest.objects.get()
    assert (state_request.measure, state_request.status, state_request.agreement) == (measure, "agreed", agreement)
    assert state_request.published_at is not None
    assert list(agreement.measures.all()) == [measure]
