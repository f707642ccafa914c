"""The review queue of a theme at scale: fifty programmes a page, the filters kept from page to
page, the city typed rather than chosen from every city, the counts by review status over the
whole queue, bad page numbers, and a cost that does not grow with the number of cities."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionProgramme, Draft, Review
from actionplans.views import reviews as review_views
from tests import factories

RS = Review.Status
BASE = datetime.datetime(2029, 12, 1, 12, tzinfo=datetime.UTC)


def bulk_submitted(round_, n, *, by, prefix="Kommune", start=0):
    """`n` submitted programmes of new cities "<prefix> 000", … submitted a minute apart, in
    that order. Written straight to the database (a draft row without reading a file): what a
    list page reads, quickly enough for sixty cities."""
    programmes = []
    for i in range(start, start + n):
        city = factories.CityFactory(name=f"{prefix} {i:03d}", slug=f"{prefix.lower()}-{i:03d}")
        programme = ActionProgramme.objects.create(round=round_, city=city)
        draft = Draft.objects.create(
            programme=programme,
            number=1,
            file=f"drafts/{city.slug}.pdf",
            original_name="handlingsprogram.pdf",
            extension="pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=by,
        )
        ActionProgramme.objects.filter(pk=programme.pk).update(
            status=ActionProgramme.Status.SUBMITTED,
            submitted_at=BASE + datetime.timedelta(minutes=i),
            submitted_by=by,
            submitted_draft=draft,
            submitted_on_time=True,
        )
        programmes.append(programme)
    return programmes


def queue_url(theme="atp"):
    return reverse("actionplans:review_queue", args=[theme])


def get(client, user, params=None, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(queue_url(), params or {})
    assert response.status_code == 200
    return response


def cities(response):
    return [p.city.name for p in response.context["programmes"]]


def next_link(html):
    """The query of the page's "next" link, as a dict of lists."""
    (href,) = re.findall(r'<a class="page-link" href="([^"]*)">(?:Next|Neste)</a>', html)
    return parse_qs(urlsplit(href.replace("&amp;", "&")).query)


def test_the_queue_shows_fifty_a_page_and_the_51st_on_page_two(client, round_, atp, manager, coordinator):
    bulk_submitted(round_, 51, by=manager)

    first = get(client, coordinator)
    second = get(client, coordinator, {"page": "2"})

    assert cities(first) == [f"Kommune {i:03d}" for i in range(50)]
    assert cities(second) == ["Kommune 050"]
    assert "Page 1 of 2" in first.text
    assert next_link(first.text) == {"page": ["2"]}
    assert "51 programmes match." in first.text


def test_the_queue_pages_in_norwegian(client, round_, atp, manager, coordinator):
    bulk_submitted(round_, 51, by=manager)

    html = get(client, coordinator, language="nb").text

    assert "Side 1 av 2" in html
    assert next_link(html) == {"page": ["2"]}


def test_the_filters_are_kept_from_page_to_page(client, round_, atp, manager, coordinator):
    bulk_submitted(round_, 52, by=manager)
    bulk_submitted(round_, 3, by=manager, prefix="Fylke", start=100)
    query = {"round": round_.slug, "status": "not_started", "city": "kommune"}

    first = get(client, coordinator, query)
    link = next_link(first.text)
    second = get(client, coordinator, {k: v[0] for k, v in link.items()})

    assert link == {"round": [round_.slug], "status": ["not_started"], "city": ["kommune"], "page": ["2"]}
    assert cities(second) == ["Kommune 050", "Kommune 051"]
    assert 'value="kommune"' in first.text  # the typed city stays in its field


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("999", 2), ("0", 2), ("-1", 2), ("", 1), ("1.5", 1)])
def test_a_page_number_that_makes_no_sense_gives_a_page(client, round_, atp, manager, coordinator, page, shown):
    bulk_submitted(round_, 51, by=manager)

    response = get(client, coordinator, {"page": page})

    assert response.context["page"].number == shown


def test_the_city_is_found_by_a_part_of_its_name_or_its_slug(client, round_, atp, manager, coordinator):
    bulk_submitted(round_, 3, by=manager)
    bulk_submitted(round_, 2, by=manager, prefix="Fylke", start=10)

    assert cities(get(client, coordinator, {"city": "ylke 01"})) == ["Fylke 010", "Fylke 011"]
    assert cities(get(client, coordinator, {"city": "  FYLKE 011 "})) == ["Fylke 011"]
    assert cities(get(client, coordinator, {"city": "kommune-001"})) == ["Kommune 001"]
    assert cities(get(client, coordinator, {"city": "Ingen slik by"})) == []
    assert len(cities(get(client, coordinator, {"city": "x" * 500}))) == 5  # too long: no filter


def test_the_counts_by_review_status_cover_the_whole_queue(client, round_, atp, manager, coordinator):
    programmes = bulk_submitted(round_, 53, by=manager)
    services.update_review(services.review_for(programmes[0], atp), assessment="", status=RS.IN_PROGRESS, by=manager)
    services.update_review(services.review_for(programmes[52], atp), assessment="", status=RS.COMMENTS_SENT, by=manager)

    response = get(client, coordinator, {"status": "in_progress"})

    counts = {row["status"]: row["count"] for row in response.context["status_counts"]}
    assert counts == {"not_started": 51, "in_progress": 1, "comments_sent": 1, "completed": 0, "outdated": 0}
    assert cities(response) == ["Kommune 000"]
    assert "Review in progress</a>: 1" in response.text
    # The counts follow the other filters.
    narrowed = get(client, coordinator, {"city": "Kommune 052"}).context["status_counts"]
    assert {row["status"]: row["count"] for row in narrowed if row["count"]} == {"comments_sent": 1}


def test_the_city_field_suggests_names_only_while_they_are_few(client, round_, atp, manager, coordinator, monkeypatch):
    bulk_submitted(round_, 3, by=manager)

    few = get(client, coordinator)
    monkeypatch.setattr(review_views, "CITY_SUGGESTIONS", 2)
    many = get(client, coordinator)

    assert '<option value="Kommune 002">' in few.text
    assert 'list="f-city-names"' in few.text
    assert many.context["cities"] == []
    assert "<datalist" not in many.text
    assert '<select id="f-city"' not in many.text


def count_queries(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(queue_url(), params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"page": "2"}, {"status": "not_started", "city": "kommune"}])
def test_the_queue_costs_the_same_for_3_and_60_cities(client, round_, atp, manager, coordinator, params):
    client.force_login(coordinator)
    bulk_submitted(round_, 3, by=manager)
    few = count_queries(client, params)

    bulk_submitted(round_, 57, by=manager, start=3)
    many = count_queries(client, params)

    assert few == many
    assert many < 20


def test_the_queue_renders_one_page_whatever_the_number_of_cities(client, round_, atp, manager, coordinator):
    bulk_submitted(round_, 120, by=manager)

    html = get(client, coordinator).text

    assert html.split("<tbody>")[1].count("<tr>") == 50
    assert html.count("<option") < 20  # the round and status choices, no drop-down of every city
    assert "Page 1 of 3" in html
