"""The header's search box in Chromium: on a phone it has a row of its own and the page does not scroll
sideways; typing and pressing Enter shows the results. (Marked `browser`, as tests/browser/ are.)"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from search.indexing import reindex_all
from tests.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium.EXECUTABLE, "args": chromium.ARGS}


@pytest.fixture
def logged_in(page, live_server, client, contact_oslo):
    client.force_login(contact_oslo)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    return page


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_the_search_box_on_a_phone_and_a_desktop(logged_in, live_server, oslo_measure, viewport):
    reindex_all()
    page = logged_in
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/")

    box = page.get_by_role("search", name="Search the portal").get_by_label("Search for")
    expect(box).to_be_visible()
    left, width = box.bounding_box()["x"], box.bounding_box()["width"]
    assert left >= 0 and left + width <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    box.fill("tiltak")
    box.press("Enter")

    expect(page.get_by_role("heading", name="Measures")).to_be_visible()
    expect(page.get_by_role("link", name="Tiltakene for sykkelparkering")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_the_search_pages_have_no_accessibility_violations(logged_in, live_server, oslo_measure, viewport):
    reindex_all()
    page, axe, problems = logged_in, Axe(), []
    page.set_viewport_size(viewport)
    for query in ["", "?q=", "?q=tiltak", "?q=tiltak&kind=measure", "?q=ingenting", "?q=x&kind=bogus"]:
        page.goto(f"{live_server.url}/search/{query}")
        result = axe.run(page, options={"preload": False})  # preloading trips the CSP, no fault of the page
        problems += [(query, v["id"], v["impact"]) for v in result.response["violations"]]
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), query

    assert problems == []
