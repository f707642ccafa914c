"""The dashboard at scale: counts and sums over every city, of each list its first rows with how
many there are and a link to the whole, the cities a page at a time, a chart of the largest
cities and the others, and a cost that does not grow with the number of cities."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from actionplans.models import ExtensionRequest, Measure
from meetings.models import ActionItem, Invitation, Minutes
from reporting import charts, effects
from tests import factories
from tests.actionplans.test_review_queue_pages import bulk_submitted
from tests.reporting.test_dashboard import meeting

SVG = "{http://www.w3.org/2000/svg}"


def grow(round_, n, *, manager, atp, viewer=None, start=0):
    """`n` cities with a submitted programme with one measure of `start + i + 1` t (the last the
    largest), a city with a programme not started and an extension request, and an overdue
    action item; `viewer` invited to the meeting of the items."""
    programmes = bulk_submitted(round_, n, by=manager, start=start)
    Measure.objects.bulk_create(
        Measure(programme=p, theme_area=atp, description="Tiltak", expected_effect=Decimal(start + i + 1))
        for i, p in enumerate(programmes)
    )
    for i in range(start, start + n):
        waiting = factories.ProgrammeFactory(
            round=round_, city=factories.CityFactory(name=f"Venter {i:03d}", slug=f"venter-{i:03d}")
        )
        ExtensionRequest.objects.create(
            programme=waiting, requested_date=datetime.date(2030, 3, 1), reason="Valg", requested_by=manager
        )
    held = meeting(manager, f"Møte {start}", timezone.now() - datetime.timedelta(days=30), status="held")
    minutes = Minutes.objects.create(meeting=held, status=Minutes.Status.PUBLISHED)
    if viewer is not None and viewer != manager:
        Invitation.objects.create(meeting=held, user=viewer)
    ActionItem.objects.bulk_create(
        ActionItem(minutes=minutes, text=f"Oppgave {i:03d}", due_date=datetime.date(2020, 1, 1) + datetime.timedelta(i))
        for i in range(start, start + n)
    )
    return programmes


def get_home(client, user, params=None, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("home"), params or {})
    assert response.status_code == 200
    return response


@pytest.fixture
def sixty(round_, manager, atp):
    return grow(round_, 60, manager=manager, atp=atp)


def test_the_city_table_shows_row_51_on_page_two_and_counts_every_city(client, manager, sixty):
    first = get_home(client, manager)
    second = get_home(client, manager, {"page": "2"})

    board = first.context["board"]
    assert len(board["city_page"]) == 50
    assert board["city_page"].paginator.count == 120  # 60 submitted, 60 waiting for a later deadline
    # By name: "Kommune 000" … "Kommune 049" on the first page, "Kommune 050" first on the second.
    assert [row["city"] for row in board["cities"]] == [f"Kommune {i:03d}" for i in range(50)]
    assert second.context["board"]["cities"][0]["city"] == "Kommune 050"
    counts = {row["status"]: row["count"] for row in board["status_counts"]}
    assert (counts["submitted_on_time"], counts["not_started"], board["round_total"]) == (60, 60, 120)
    assert "Page 1 of 3" in first.text


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("999", 3), ("0", 3), ("", 1), ("2.0", 1)])
def test_a_page_number_that_makes_no_sense_gives_a_page(client, manager, sixty, page, shown):
    assert get_home(client, manager, {"page": page}).context["board"]["city_page"].number == shown


def test_the_city_table_pages_in_norwegian(client, manager, sixty):
    html = get_home(client, manager, language="nb").text

    assert "Side 1 av 3" in html
    assert re.search(r'href="\?page=2"', html)


def test_effect_by_city_is_the_largest_and_the_others_summed(client, manager, sixty):
    board = get_home(client, manager).context["board"]

    rows = board["effect_by_city"]
    assert len(rows) == charts.MAX_BARS
    assert [row["city"] for row in rows[:3]] == ["Kommune 059", "Kommune 058", "Kommune 057"]
    assert rows[23]["city"] == "Kommune 036"
    others = rows[-1]
    # 60 cities of 1 … 60 t: the 36 smallest are 1 … 36 t, 666 t in all, one measure each.
    assert (others["others"], others["effect"], others["count"]) == (36, Decimal("666.0"), 36)
    assert others["city"] == "36 other cities"
    assert sum(row["effect"] for row in rows) == board["effect_total"]["effect"] == Decimal("1830.0")


def test_the_page_links_to_every_programme_when_it_shows_the_largest_only(client, manager, sixty):
    html = get_home(client, manager).text

    assert f'href="{reverse("actionplans:programme_list")}?round=' in html
    assert "Every programme with its expected effect" in html
    assert "36 other cities" in html


def test_effect_by_city_lists_every_city_while_they_are_few(round_, manager, atp):
    grow(round_, 3, manager=manager, atp=atp)

    rows = effects.effect_by_city_top(manager, round_)

    assert [(row["city"], row["effect"]) for row in rows] == [
        ("Kommune 002", Decimal("3.0")),
        ("Kommune 001", Decimal("2.0")),
        ("Kommune 000", Decimal("1.0")),
    ]
    assert not any("others" in row for row in rows)


def test_the_city_chart_draws_the_largest_and_one_bar_for_the_others(client, manager, sixty):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("dashboard_chart", args=["effect-by-city"]))

    root = ET.fromstring(response.content)  # noqa: S314 -- our own response
    values = [t.text for t in root.iter(f"{SVG}text") if "value" in (t.get("class") or "").split()]
    assert len(values) == charts.MAX_BARS
    assert values[0] == "666.0"  # the others, drawn first: at the bottom
    assert values[-1] == "60.0"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "36 other cities" in texts
    assert root.find(f"{SVG}title").text == "Expected effect: the 24 cities with the most of 60 (t CO₂e per year)"


def test_the_report_chart_of_every_city_also_sums_the_others():
    rows = [{"city": f"By {n:02d}", "effect": Decimal(n), "count": 1} for n in range(1, 41)]

    with translation.override("nb"):
        shown = charts._largest(rows)

    assert len(shown) == charts.MAX_BARS
    assert shown[0]["effect"] == 40
    assert (shown[-1]["others"], shown[-1]["effect"], shown[-1]["count"]) == (16, sum(range(1, 17)), 16)


def test_the_lists_show_their_first_rows_and_how_many_there_are(client, manager, sixty):
    response = get_home(client, manager)

    board = response.context["board"]
    assert [item["text"] for item in board["action_items"]] == [f"Oppgave {i:03d}" for i in range(10)]
    assert board["action_items"].total == 60
    assert len(board["extension_requests"]) == 10
    assert board["extension_requests"].total == 60
    assert len(board["without_contact"]) == 10
    assert board["without_contact"].total == 120  # the submitted cities and the waiting ones
    html = response.text
    assert "The 10 longest overdue of 60." in html
    assert f'<a href="{reverse("actionplans:extension_list")}">All 60 requests waiting</a>' in html
    assert f'<a href="{reverse("people:list")}">All 120 cities without a contact</a>' in html
    assert html.count("invite a contact") == 10


def test_short_lists_have_no_link_to_more(client, round_, manager, atp):
    grow(round_, 3, manager=manager, atp=atp)

    html = get_home(client, manager).text

    assert "longest overdue of" not in html
    assert "requests waiting</a>" not in html
    assert "Every programme with its expected effect" not in html
    assert html.count("invite a contact") == 6  # 3 submitted and 3 waiting cities


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["manager", "coordinator", "partner"])
def test_the_dashboard_costs_the_same_for_3_and_60_cities(request, client, round_, atp, manager, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    grow(round_, 3, manager=manager, atp=atp, viewer=user)
    few = [count_queries(client, reverse("home")), count_queries(client, reverse("home") + "?page=2")]

    grow(round_, 57, manager=manager, atp=atp, viewer=user, start=3)
    many = [count_queries(client, reverse("home")), count_queries(client, reverse("home") + "?page=2")]

    assert few == many
    assert max(many) <= 20  # the landing page with its dashboard: 20 for the management


@pytest.mark.parametrize("name", ["effect-by-theme", "effect-by-city", "agreements-by-status"])
def test_a_chart_costs_the_same_for_3_and_60_cities(client, round_, atp, manager, name):
    client.force_login(manager)
    url = reverse("dashboard_chart", args=[name])
    grow(round_, 3, manager=manager, atp=atp)
    few = count_queries(client, url)

    grow(round_, 57, manager=manager, atp=atp, start=3)

    assert count_queries(client, url) == few
