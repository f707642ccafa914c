"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test here is marked ``browser``. Pages are shown in English (cookie and
Accept-Language), so assertions on visible text keep holding once the
Norwegian catalogue exists. Any JavaScript console error or uncaught page
error fails the test.
"""

import datetime
import os
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements import services as agreement_services
from agreements.models import Agreement
from meetings.models import Invitation, Meeting
from meetings.services import create_meeting
from tests import factories
from tests.browser import chromium

# Playwright's sync API runs an event loop in the test thread; Django must
# still be allowed to use the database from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = os.path.dirname(__file__)
PASSWORD = "pw"  # the personas' password (tests/factories.py)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if str(item.path).startswith(BROWSER_DIR + os.sep):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium.EXECUTABLE,
        "args": chromium.ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/Oslo",
        "extra_http_headers": {"Accept-Language": "en"},
    }


@pytest.fixture
def page(page, live_server):
    """pytest-playwright's page, in English, failing the test on any JavaScript error."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_default_timeout(5_000)
    errors = []

    def on_console(message):
        url = message.location.get("url", "")
        if message.type == "error":
            errors.append(f"console on {page.url}: {message.text} ({url}:{message.location.get('lineNumber')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    yield page
    assert errors == [], "JavaScript errors in the browser:\n" + "\n".join(errors)


def login(page, live_server, username, password=PASSWORD):
    """Log in through the real login form; the browser ends on the page after it."""
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()
    expect(page, f"login as {username!r} failed").not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def log_in(page, live_server):
    """``log_in(user)`` logs ``user`` (password "pw") in through the login form."""

    def log_in(user, password=PASSWORD):
        login(page, live_server, user.username, password)

    return log_in


# Data the journeys share, with the mouse and with the keyboard alone.

MEASURE = "Parkeringsnorm for nye boliger"
GATHERING = "Nettverkssamling i Oslo"


@pytest.fixture
def submitted(bergen_programme, atp, energy, request):
    """Bergen's programme with a measure in land use and transport, then submitted."""
    measure = factories.MeasureFactory(
        programme=bergen_programme, theme_area=atp, title=MEASURE, expected_effect=Decimal("42.5")
    )
    return request.getfixturevalue("bergen_submitted"), measure


@pytest.fixture
def gathering(manager, atp, oslo, contact_bergen, contact_oslo):
    """Held; it ended yesterday. Bergen's and Oslo's contacts attended."""
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = create_meeting(
        by=manager,
        theme_areas=[atp],
        kind=Meeting.Kind.NETWORK_GATHERING,
        title=GATHERING,
        host_city=oslo,
        venue="Oslo rådhus",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
    )
    for user in (contact_bergen, contact_oslo):
        Invitation.objects.create(meeting=meeting, user=user, response=Invitation.Response.ATTENDING, attended=True)
    return meeting


@pytest.fixture
def negotiating(manager, atp, bergen):
    """An agreement with Bergen in land use and transport, being negotiated."""
    agreement = Agreement.objects.create(
        title="Belønningsordningen for bedre kollektivtransport", kind="long_term_economic", created_by=manager
    )
    agreement.theme_areas.set([atp])
    agreement_services.set_parties(agreement, cities=[bergen], organisations=[])
    agreement_services.change_status(agreement, to_status="negotiating", comment="", by=manager)
    return agreement
