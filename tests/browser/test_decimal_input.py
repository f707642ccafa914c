"""Effect and cost typed as people write numbers in each language, in a real browser."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from actionplans.models import Measure

CASES = {
    # language: (effect typed, cost typed, effect shown, cost shown)
    "nb": ("2 500,5", "1 200 000", "2 500,5", "1 200 000"),
    "en": ("2,500.5", "1,200,000", "2,500.5", "1,200,000"),
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_the_decimal_sign_of_the_language_is_read_as_typed(
    page, live_server, log_in, contact_oslo, oslo_programme, atp, language
):
    effect, cost, effect_shown, cost_shown = CASES[language]
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    log_in(contact_oslo)
    page.goto(f"{live_server.url}/programmes/{oslo_programme.pk}/measures/new/")
    form = page.locator("main form")
    effect_input = form.locator("input[name=expected_effect]")
    expect(effect_input).to_have_attribute("inputmode", "decimal")
    form.locator("select[name=theme_area]").select_option(value=str(atp.pk))
    form.locator("input[name=title]").fill("Parkeringsnorm")
    effect_input.fill(effect)
    form.locator("input[name=cost_estimate]").fill(cost)
    form.locator("[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/programmes/{oslo_programme.pk}/")

    measure = Measure.objects.get(programme=oslo_programme)
    assert (measure.expected_effect, measure.cost_estimate) == (Decimal("2500.5"), Decimal("1200000"))
    row = page.locator("main table tbody tr", has_text="Parkeringsnorm")
    expect(row).to_contain_text(effect_shown.replace(" ", "\u00a0"))
    expect(row).to_contain_text(cost_shown.replace(" ", "\u00a0"))


def test_a_number_that_cannot_be_read_is_an_error_not_a_different_number(
    page, live_server, log_in, contact_oslo, oslo_programme, atp
):
    log_in(contact_oslo)
    page.goto(f"{live_server.url}/programmes/{oslo_programme.pk}/measures/new/")
    form = page.locator("main form")
    form.locator("select[name=theme_area]").select_option(value=str(atp.pk))
    form.locator("input[name=title]").fill("Parkeringsnorm")
    form.locator("input[name=expected_effect]").fill("2,500,5")
    form.locator("[type=submit]").click()

    expect(page.locator("main")).to_contain_text("Enter a number.")
    expect(form.locator("input[name=expected_effect]")).to_have_value("2,500,5")
    assert not Measure.objects.exists()
