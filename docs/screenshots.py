"""Screenshots of the main pages for each role, for this folder and the README.

Run against the demo portal (`make run` in another terminal):

    .venv/bin/python -m docs.screenshots [http://127.0.0.1:8000]

Uses Debian's Chromium through Playwright, as the browser tests do.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import chromium

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
HERE = Path(__file__).parent
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def log_in(page, username, language):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": BASE}])
    page.goto(f"{BASE}/accounts/login/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill("demo")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"{BASE}/")


def city_programme(page):
    page.locator("main .card a.btn").first.click()


def coordinator_review(page):
    page.goto(f"{BASE}/review/themes/atp/")
    page.locator("main table tbody th a").first.click()


def gathering(page):
    page.goto(f"{BASE}/meetings/")
    page.locator("main table tbody th a").first.click()


# (file, user, language, viewport, how to get there from the overview)
SHOTS = [
    ("ministry-dashboard.png", "departementet", "nb", DESKTOP, None),
    ("city-contact-programme.png", "kontakt-oslo", "nb", DESKTOP, city_programme),
    ("coordinator-review.png", "koordinator-atp", "nb", DESKTOP, coordinator_review),
    ("agreements-pipeline.png", "departementet", "en", DESKTOP, lambda page: page.goto(f"{BASE}/agreements/")),
    ("host-city-gathering.png", "kontakt-bergen", "nb", DESKTOP, gathering),
    ("phone-city-contact.png", "kontakt-oslo", "nb", PHONE, None),
]


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium.EXECUTABLE, args=chromium.ARGS)
        for name, username, language, viewport, go in SHOTS:
            page = browser.new_page(viewport=viewport)
            log_in(page, username, language)
            if go:
                go(page)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=HERE / name)
            print(HERE / name)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
