"""Screenshots of the portal as each demo user sees it, for looking at and for the README.

Run against the demo portal (`make run` in another terminal):

    .venv/bin/python -m docs.screenshots [--base http://127.0.0.1:8000]         # the README's, in docs/
    .venv/bin/python -m docs.screenshots --all [--out var/screenshots]         # every page, see below

`--all` walks the portal as each demo user: from the overview it follows the links of the
navigation and of the pages it reaches (one page of each kind: /programmes/12/ and
/programmes/13/ are the same page), two links deep, and takes each page in Norwegian and
English at 1366 px and 375 px wide, into OUT/<language>-<width>/<user>/. It prints a line for
every page that did not answer 200 or that scrolls sideways, and exits 1 if there was one.
Nothing is sent: it follows links (GET) only, never forms, exports, downloads or the logout.

Uses Debian's Chromium through Playwright, as the browser tests do.
"""

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import sync_playwright

from tests.browser import chromium

HERE = Path(__file__).parent
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}
USERS = [
    "kontakt-oslo",
    "kontakt-bergen",
    "koordinator-atp",
    "koordinator-energi",
    "nettverksleder-avfall",
    "departementet",
    "konsulent",
    "koordinator-klima",
    "nettverksleder-atp",
    "fylkeskommune-hordaland",
    "ks",
    "politisk-ledelse",
    "admin",
]
# Addresses the walk does not open: files, feeds, exports, and what acts on a GET.
SKIP = re.compile(r"logout|/download|/export|\.(pdf|svg|ics|csv|xlsx|png)$|/file/|/calendar/feed|setlang|/admin/logout")
PAGES_PER_USER = 40


def log_in(page, base, username, language):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill("demo")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"{base}/")


def city_programme(page, base):
    page.locator("main .card a.btn").first.click()


def coordinator_review(page, base):
    page.goto(f"{base}/review/themes/atp/")
    page.locator("main table tbody th a").first.click()


def gathering(page, base):
    page.goto(f"{base}/meetings/")
    page.locator("main table tbody th a").first.click()


def past_meeting(title):
    def go(page, base):
        page.goto(f"{base}/meetings/?when=past")
        page.get_by_role("link", name=title, exact=True).click()

    return go


def gathering_feedback(page, base):
    past_meeting("Nettverkssamling i Stavanger: areal og transport")(page, base)
    page.locator("main a[href$='/feedback/summary/']").first.click()


# The README's: (file, user, language, viewport, how to get there from the overview)
README_SHOTS = [
    ("ministry-dashboard.png", "departementet", "nb", DESKTOP, None),
    ("city-contact-programme.png", "kontakt-oslo", "nb", DESKTOP, city_programme),
    ("coordinator-review.png", "koordinator-atp", "nb", DESKTOP, coordinator_review),
    ("agreements-pipeline.png", "departementet", "en", DESKTOP, lambda page, base: page.goto(f"{base}/agreements/")),
    ("host-city-gathering.png", "kontakt-bergen", "nb", DESKTOP, gathering),
    ("phone-city-contact.png", "kontakt-oslo", "nb", PHONE, None),
    ("december-minutes.png", "departementet", "nb", DESKTOP, past_meeting("Koordineringsgruppen (fortsettelse)")),
    ("gathering-feedback.png", "departementet", "nb", DESKTOP, gathering_feedback),
]


def readme(browser, base):
    for name, username, language, viewport, go in README_SHOTS:
        page = browser.new_page(viewport=viewport)
        log_in(page, base, username, language)
        if go:
            go(page, base)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=HERE / name)
        print(HERE / name)
        page.close()


def kind_of(path):
    """The page's kind: its address with the numbers and slugs of objects taken out."""
    return re.sub(r"/\d+(?=/|$)", "/N", path.split("?")[0])


def discover(page, base, username):
    """The pages `username` reaches from the overview, one of each kind, two links deep."""
    log_in(page, base, username, "nb")
    seen, pages, frontier = set(), [], ["/"]
    for _depth in range(3):
        following = []
        for path in frontier:
            kind = kind_of(path)
            if kind in seen or len(pages) >= PAGES_PER_USER:
                continue
            seen.add(kind)
            pages.append(path)
            page.goto(base + path)
            hrefs = page.eval_on_selector_all(
                "header nav a[href], main a[href]", "links => links.map(a => a.getAttribute('href'))"
            )
            for href in hrefs:
                url = urlsplit(urljoin(base + path, href))
                if url.netloc != urlsplit(base).netloc or SKIP.search(url.path) or href.startswith("#"):
                    continue
                target = url.path + (f"?{url.query}" if url.query and "page=" not in url.query else "")
                if kind_of(target) not in seen:
                    following.append(target)
        frontier = list(dict.fromkeys(following))
    return pages


def walk(browser, base, out):
    problems = []
    for username in USERS:
        finder = browser.new_page(viewport=DESKTOP)
        paths = discover(finder, base, username)
        finder.close()
        for language in ("nb", "en"):
            for viewport in (DESKTOP, PHONE):
                folder = out / f"{language}-{viewport['width']}" / username
                folder.mkdir(parents=True, exist_ok=True)
                page = browser.new_page(viewport=viewport)
                log_in(page, base, username, language)
                for number, path in enumerate(paths):
                    response = page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    name = f"{number:02d}{re.sub(r'[^a-z0-9]+', '-', path.lower()).rstrip('-') or '-home'}.png"
                    page.screenshot(path=folder / name, full_page=True)
                    wide, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                    if response.status != 200:
                        problems.append(f"{response.status} {username} {language} {path}")
                    if wide > screen:
                        problems.append(f"{wide}px > {screen}px {username} {language} {path}")
                page.close()
        print(f"{username}: {len(paths)} pages", flush=True)
    for problem in problems:
        print(problem)
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--all", action="store_true", help="every page, as every demo user, both languages and widths")
    parser.add_argument("--out", type=Path, default=Path("var/screenshots"))
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium.EXECUTABLE, args=chromium.ARGS)
        ok = walk(browser, args.base.rstrip("/"), args.out) if args.all else (readme(browser, args.base), True)[1]
        browser.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
