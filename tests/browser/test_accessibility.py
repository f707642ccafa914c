"""Every page of the journeys and of the meeting and agreement flows, for each
role, checked with axe-core in Chromium: no violation of any impact on our pages,
none serious or critical in the Django admin. Also forms sent back with errors,
the phone width, and Norwegian pages."""

import datetime
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from actionplans.models import ActionProgramme, ExtensionRequest, Round
from agreements.models import Agreement
from cities.models import City, ThemeArea
from meetings import services as meeting_services
from meetings.models import Invitation, Meeting
from reporting.models import ReportJob

# The issue asks for no serious or critical violation. Our own pages have none of any impact, and
# keep it so; the admin's pages are Django's markup (its tabular inlines have an empty header cell).
SERIOUS = {"serious", "critical"}
ANY = {"minor", "moderate", *SERIOUS}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def demo(transactional_db):
    """The demo data (with Tromsø's extension request waiting) and a gathering that
    ended yesterday, whose survey Bergen's contact has yet to answer."""
    call_command("seed_demo", stdout=io.StringIO())
    current = Round.objects.current()
    oslo = ActionProgramme.objects.get(round=current, city__slug="oslo")
    users = {user.username: user for user in get_user_model().objects.all()}
    extension = ExtensionRequest.objects.get(programme__round=current, status=ExtensionRequest.Status.PENDING)
    start = timezone.now() - datetime.timedelta(days=2)
    held = meeting_services.create_meeting(
        by=users["departementet"],
        theme_areas=[ThemeArea.objects.get(code="atp")],
        kind=Meeting.Kind.NETWORK_GATHERING,
        title="Nettverkssamling i Trondheim",
        host_city=City.objects.get(slug="trondheim"),
        venue="Trondheim rådhus",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
    )
    Invitation.objects.create(
        meeting=held, user=users["kontakt-bergen"], response=Invitation.Response.ATTENDING, attended=True
    )
    with_minutes = Meeting.objects.filter(minutes__isnull=False).first()
    # A status report that a worker has yet to make (large rounds are made in the background).
    job = ReportJob.objects.create(user=users["departementet"], round=current, language="en")
    return {
        "round": current,
        "oslo": oslo,
        "bergen": ActionProgramme.objects.get(round=current, city__slug="bergen"),
        "measure": oslo.measures.first(),
        "extension": extension,
        "upcoming": Meeting.objects.filter(host_city__slug="bergen").latest("starts_at"),
        "held": held,
        "with_minutes": with_minutes,
        "agreement": Agreement.objects.get(title__startswith="Belønningsordningen"),
        "job": job,
        "contact_bergen": users["kontakt-bergen"],
    }


def pages_for(demo):
    oslo, bergen = demo["oslo"].pk, demo["bergen"].pk
    upcoming, held, with_minutes = demo["upcoming"].pk, demo["held"].pk, demo["with_minutes"].pk
    agreement = demo["agreement"].pk
    return {
        "kontakt-oslo": [
            "/",
            "/programmes/",
            f"/programmes/{oslo}/",
            f"/programmes/{oslo}/drafts/new/",
            f"/programmes/{oslo}/measures/new/",
            f"/measures/{demo['measure'].pk}/edit/",
            f"/measures/{demo['measure'].pk}/delete/",
            f"/programmes/{oslo}/submit/",
            f"/programmes/{oslo}/extension/",
            "/meetings/",
            "/meetings/?when=past",
            f"/meetings/{upcoming}/",
            "/calendar/",
            "/cities/oslo/",
            "/people/invite/",
            "/accounts/profile/",
        ],
        "kontakt-bergen": [
            f"/programmes/{bergen}/",
            f"/meetings/{upcoming}/",
            f"/meetings/{held}/",
            f"/meetings/{held}/feedback/",
            "/cities/bergen/",
        ],
        "koordinator-atp": [
            "/",
            "/review/",
            "/review/themes/atp/",
            f"/programmes/{bergen}/review/atp/",
            f"/programmes/{bergen}/review/",
            "/review/totals/",
            "/review/similar/",
            "/review/themes/atp/compare/",
            "/agreements/",
            f"/agreements/{agreement}/",
        ],
        "nettverksleder-avfall": ["/", "/review/", "/meetings/"],
        "departementet": [
            "/",
            "/programmes/",
            "/extensions/",
            f"/extensions/{demo['extension'].pk}/decide/",
            "/reminders/",
            f"/rounds/{demo['round'].pk}/",
            f"/rounds/{demo['round'].pk}/extend/",
            f"/rounds/{demo['round'].pk}/reminder-steps/",
            f"/programmes/{bergen}/reopen/",
            "/meetings/new/",
            "/meetings/recipe/",
            f"/meetings/{upcoming}/",
            f"/meetings/{upcoming}/edit/",
            f"/meetings/{upcoming}/agenda/new/",
            f"/meetings/{upcoming}/documents/new/",
            f"/meetings/{upcoming}/invitations/",
            f"/meetings/{held}/invitations/",
            f"/meetings/{held}/minutes/",
            f"/meetings/{with_minutes}/",
            f"/meetings/{held}/feedback/summary/",  # a gathering that was held: it has a summary
            "/agreements/",
            f"/agreements/{agreement}/",
            f"/agreements/{agreement}/edit/",
            f"/agreements/{agreement}/delete/",
            f"/agreements/{agreement}/documents/new/",
            "/agreements/new/",
            f"/agreements/new/?measures={demo['bergen'].measures.first().pk}&measures=x",
            f"/reports/jobs/{demo['job'].pk}/?refresh=off",  # a waiting job's page reloads itself
            "/people/",
            "/people/invite/?role=city_contact&city=bergen",
            f"/people/{demo['contact_bergen'].pk}/",
            "/accounts/security-log/",
            "/accounts/profile/",
            "/accounts/password-change/",
            "/accounts/two-factor/setup/",
        ],
        "ks": ["/", "/programmes/", f"/programmes/{bergen}/", "/meetings/", "/agreements/", "/accounts/profile/"],
        "admin": [
            "/admin/",
            "/admin/actionplans/actionprogramme/",
            f"/admin/actionplans/actionprogramme/{oslo}/change/",
            "/admin/cities/city/",
            "/admin/meetings/meeting/",
            "/admin/agreements/agreement/",
        ],
    }


def log_in_as(page, live_server, username, language="en"):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill("demo")
    page.locator("main form [type=submit]").click()
    expect(page).not_to_have_url(f"{live_server.url}/accounts/login/")


def violations(axe, page, label):
    """axe's violations on the page: of any impact on our pages, serious or critical in the admin."""
    # Without preloading: axe's fetching of the style sheets trips the CSP, which is no fault of the page.
    result = axe.run(page, options={"preload": False})
    impacts = SERIOUS if "/admin/" in page.url else ANY
    return [
        (*label, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result.response["violations"]
        if v["impact"] in impacts
    ]


# One test per user, so that the walk is shared between the workers.
WALKERS = ["kontakt-oslo", "kontakt-bergen", "koordinator-atp", "nettverksleder-avfall", "departementet", "ks", "admin"]


@pytest.mark.parametrize("username", WALKERS)
def test_pages_have_no_accessibility_violations(page, live_server, demo, username):
    """…and every page below the overview has a breadcrumb trail that starts there."""
    axe = Axe()
    problems, no_trail = [], []
    walks = pages_for(demo)
    assert set(walks) == set(WALKERS)
    log_in_as(page, live_server, username)
    for path in walks[username]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (username, path, response.status)
        problems += violations(axe, page, (username, path))
        if path != "/" and not path.startswith("/admin/"):
            trail = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
            if trail.count() == 0 or trail.first.inner_text() != "Overview":
                no_trail.append(path)
    assert problems == []
    assert no_trail == []


def test_norwegian_pages_have_no_violations(page, live_server, demo):
    axe = Axe()
    problems = []
    log_in_as(page, live_server, "departementet", language="nb")
    for path in ["/", f"/programmes/{demo['oslo'].pk}/", "/meetings/", "/agreements/", "/agreements/new/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        problems += violations(axe, page, ("nb", path))
    assert problems == []


# Forms sent empty, as (user, page, submit button): the errors must be summarised,
# focused, linked to their fields, and the page still free of violations.
EMPTY_FORMS = [
    ("kontakt-oslo", "/programmes/{oslo}/measures/new/", "Save measure"),
    ("kontakt-oslo", "/programmes/{oslo}/extension/", "Send request"),
    ("departementet", "/meetings/new/", "Save meeting"),
    ("departementet", "/agreements/new/", "Save agreement"),
]


def test_forms_with_errors_are_summarised_focused_and_accessible(page, live_server, demo):
    axe = Axe()
    problems = []
    for username, path, button in EMPTY_FORMS:
        log_in_as(page, live_server, username)
        url = f"{live_server.url}{path.format(oslo=demo['oslo'].pk)}"
        page.goto(url)
        form = page.locator("main form").filter(has=page.get_by_role("button", name=button))
        form.evaluate("form => form.noValidate = true")  # let the server, not the browser, judge it
        form.get_by_role("button", name=button).click()

        summary = page.get_by_role("alert")
        expect(summary, path).to_be_visible()
        expect(summary, path).to_be_focused()
        first = summary.get_by_role("link").first
        target = first.get_attribute("href")[1:]
        field = page.locator(f"#{target}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{target}_error\b"))
        first.click()
        expect(field, f"the summary's link does not focus #{target} on {path}").to_be_focused()
        problems += violations(axe, page, (username, path, "errors"))
    assert problems == []


def test_the_login_error_is_announced(page, live_server, db):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("main input[name=username]").fill("nobody")
    page.locator("main input[name=password]").fill("wrong")
    page.locator("main form [type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    expect(page.get_by_role("alert")).to_be_focused()


PHONE_PAGES = {
    "kontakt-oslo": ["/", "/programmes/{oslo}/", "/programmes/{oslo}/measures/new/", "/meetings/"],
    "koordinator-atp": ["/review/", "/review/themes/atp/", "/programmes/{bergen}/review/atp/", "/review/totals/"],
    "departementet": [
        "/",
        "/programmes/",
        "/extensions/",
        "/rounds/{round}/",
        "/agreements/",
        "/agreements/{agreement}/",
        "/meetings/",
        "/meetings/{upcoming}/",
        "/meetings/{upcoming}/invitations/",
    ],
}


def test_main_pages_are_readable_on_a_phone(page, live_server, demo):
    """At 375 px: nothing wider than the screen (wide tables scroll inside their
    own box), the navigation folds behind a button that opens it, no violation."""
    page.set_viewport_size(PHONE)
    ids = {key: demo[key].pk for key in ("oslo", "bergen", "upcoming", "round", "agreement")}
    axe = Axe()
    problems, too_wide = [], []
    for username, paths in PHONE_PAGES.items():
        log_in_as(page, live_server, username)
        for path in paths:
            path = path.format(**ids)
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((username, path, width))
            problems += violations(axe, page, (username, path, "phone"))
            if path.endswith("/review/atp/"):  # no PDF inside the page on a phone, but a link to it
                expect(page.locator("main iframe")).to_be_hidden()
                expect(page.get_by_role("link", name="Read the PDF in the browser")).to_be_visible()

    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="Agreements")).to_be_hidden()
    navigation.get_by_role("button", name="Menu").click()
    expect(navigation.get_by_role("link", name="Agreements")).to_be_visible()
    assert too_wide == [], too_wide
    assert problems == []
