"""Every page of the journeys, for each role, checked with axe-core in Chromium:
no serious or critical WCAG violation."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from actionplans.models import ActionProgramme, Round
from agreements.models import Agreement
from meetings.models import Meeting

SERIOUS = {"serious", "critical"}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    current = Round.objects.current()
    return {
        "round": current,
        "oslo": ActionProgramme.objects.get(round=current, city__slug="oslo"),
        "bergen": ActionProgramme.objects.get(round=current, city__slug="bergen"),
        "meeting": Meeting.objects.filter(host_city__slug="bergen").latest("starts_at"),
        "agreement": Agreement.objects.get(title__startswith="Belønningsordningen"),
    }


def pages_for(demo):
    oslo, bergen = demo["oslo"].pk, demo["bergen"].pk
    return {
        "kontakt-oslo": [
            "/",
            "/programmes/",
            f"/programmes/{oslo}/",
            f"/programmes/{oslo}/drafts/new/",
            f"/programmes/{oslo}/measures/new/",
            f"/programmes/{oslo}/submit/",
            f"/programmes/{oslo}/extension/",
            "/meetings/",
            "/calendar/",
        ],
        "kontakt-bergen": [f"/programmes/{bergen}/", f"/meetings/{demo['meeting'].pk}/", "/cities/bergen/"],
        "koordinator-atp": [
            "/review/",
            "/review/themes/atp/",
            f"/programmes/{bergen}/review/atp/",
            f"/programmes/{bergen}/review/",
            "/review/totals/",
            "/review/similar/",
            "/review/themes/atp/compare/",
        ],
        "departementet": [
            "/",
            "/extensions/",
            "/reminders/",
            f"/rounds/{demo['round'].pk}/",
            f"/meetings/{demo['meeting'].pk}/",
            "/agreements/",
            f"/agreements/{demo['agreement'].pk}/",
            "/agreements/new/",
        ],
    }


def test_pages_have_no_serious_accessibility_violations(page, live_server, demo):
    axe = Axe()
    problems = []
    for username, paths in pages_for(demo).items():
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("main input[name=username]").fill(username)
        page.locator("main input[name=password]").fill("demo")
        page.locator("main form [type=submit]").click()
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path, response.status)
            result = axe.run(page)
            problems += [
                (username, path, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                for v in result.response["violations"]
                if v["impact"] in SERIOUS
            ]
    assert problems == []
