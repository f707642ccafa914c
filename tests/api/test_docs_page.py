"""The interactive docs in a real browser (Chromium): Swagger UI from our own static files, under the portal's
Content Security Policy as it is (no inline script), with no error; "Try it out" reads with the session."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import chromium
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium.EXECUTABLE, "args": chromium.ARGS}


def test_the_docs_work_under_the_csp(page, live_server, world, contact_bergen):
    errors, elsewhere = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url))
    page.set_default_timeout(15_000)
    login(page, live_server, contact_bergen.username)

    page.goto(f"{live_server.url}/api/v1/docs/")
    operation = page.locator("#operations-cities-cities_list")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()

    expect(operation.locator(".live-responses-table tbody td.response-col_status").first).to_have_text(
        re.compile("200")
    )
    expect(operation.locator(".live-responses-table")).to_contain_text("Bergen")
    assert (errors, elsewhere) == ([], [])
