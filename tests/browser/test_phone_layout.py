"""On a phone (375 px wide) a measure's key figures and its comment threads are read without
scrolling sideways, on the programme page and on the review page; the measure form offers only
the categories of the chosen theme area."""

import pytest
from playwright.sync_api import expect

from actionplans import services
from actionplans.models import MeasureCategory

PHONE = {"width": 375, "height": 800}
EFFECT = "42.5 t CO₂e per year"  # as the review page writes it
COMMENT = (
    "Hvordan er effekten beregnet? Oppgi forutsetningene for reisevaneendringene, kilde: "
    "https://www.example.org/en/very/long/address/without/any/place/to/break/it/reisevaneundersokelsen-2029"
)


@pytest.fixture
def commented(submitted, coordinator, atp):
    programme, measure = submitted
    review = services.review_for(programme, atp)
    services.add_comment(review, measure=measure, text=COMMENT, by=coordinator)
    return programme, measure


def assert_within_the_screen(page, locator):
    # A loaded machine (the suite in parallel) may take a while to lay out a long page.
    expect(locator).to_be_visible(timeout=15_000)
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    width = page.evaluate("innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


def assert_no_sideways_scrolling(page):
    scroll_width, width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll_width <= width, f"the page is {scroll_width} px wide on a {width} px screen"


def test_the_programme_page_on_a_phone(page, live_server, log_in, coordinator, commented):
    programme, measure = commented
    page.set_viewport_size(PHONE)
    log_in(coordinator)

    page.goto(f"{live_server.url}/programmes/{programme.pk}/")

    assert_no_sideways_scrolling(page)
    row = page.locator("main table.measure-table tbody tr").filter(has_text=measure.title).first
    effect = row.locator("td[data-figure=effect]")
    expect(effect).to_have_text("42.5")
    assert_within_the_screen(page, effect)
    assert_within_the_screen(page, row.locator("td[data-figure=cost]"))
    # Each figure is named beside it (the column headers are out of sight).
    label = effect.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "Effect (t CO₂e/yr)" in label
    thread = page.locator(".comment-thread").filter(has_text="Hvordan er effekten beregnet?")
    assert_within_the_screen(page, thread)
    assert_within_the_screen(page, thread.get_by_text("reisevaneundersokelsen-2029", exact=False))


def test_the_programme_page_keeps_its_columns_on_a_wide_screen(page, live_server, log_in, coordinator, commented):
    programme, measure = commented
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(coordinator)

    page.goto(f"{live_server.url}/programmes/{programme.pk}/")

    table = page.locator("main table.measure-table").first
    expect(table.get_by_role("columnheader", name="t CO₂e/yr")).to_be_visible()
    effect = table.locator("td[data-figure=effect]")
    expect(effect).to_have_text("42.5")
    assert effect.evaluate("cell => getComputedStyle(cell).display") == "table-cell"
    assert effect.evaluate("cell => getComputedStyle(cell, '::before').content") in ("none", "normal")


def test_the_review_page_on_a_phone(page, live_server, log_in, coordinator, commented):
    programme, measure = commented
    page.set_viewport_size(PHONE)
    log_in(coordinator)

    page.goto(f"{live_server.url}/programmes/{programme.pk}/review/atp/")

    assert_no_sideways_scrolling(page)
    card = page.get_by_role("article", name=measure.title)
    expect(card).to_have_attribute("id", f"measure-{measure.pk}")
    assert_within_the_screen(page, card.get_by_text(EFFECT))
    assert_within_the_screen(page, page.locator(".comment-thread").filter(has_text="Hvordan er effekten beregnet?"))


def test_the_measure_form_offers_the_categories_of_the_chosen_theme(
    page, live_server, log_in, contact_oslo, oslo_programme, atp, energy
):
    MeasureCategory.objects.create(theme_area=atp, name_nb="Sykkel", name_en="Cycling")
    MeasureCategory.objects.create(theme_area=energy, name_nb="Fjernvarme", name_en="District heating")
    log_in(contact_oslo)
    page.goto(f"{live_server.url}/programmes/{oslo_programme.pk}/measures/new/")
    theme = page.get_by_label("Theme area")
    category = page.get_by_label("Category")

    def offered():
        return category.locator("option").all_inner_texts()

    assert offered() == ["No category", "Cycling", "District heating"]  # no theme yet: all, grouped
    theme.select_option(label="Land use and transport")
    assert offered() == ["No category", "Cycling"]
    category.select_option(label="Cycling")
    theme.select_option(label="Energy in buildings")
    assert offered() == ["No category", "District heating"]
    expect(category).to_have_value("")  # the category of the other theme is not kept
    category.select_option(label="District heating")
    page.get_by_label("Title").fill("Utvidet fjernvarmenett")
    page.get_by_role("button", name="Save measure").click()
    expect(page.get_by_role("status")).to_contain_text("The measure was added.")
    assert oslo_programme.measures.get().category.name_en == "District heating"
