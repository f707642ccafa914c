"""The search page /search/ and the search box in the header."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import Measure
from search.indexing import reindex_all
from search.models import Kind

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def headings(html):
    return re.findall(r'<h2 id="results-(\w+)"', html)


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL, {"q": "klimaplan"})

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next=/search/%3Fq%3Dklimaplan")


def test_post_is_refused(client, manager):
    client.force_login(manager)

    assert client.post(URL, {"q": "klimaplan"}).status_code == 405


def test_results_grouped_by_kind_with_links(client, everything, manager, oslo_measure, agreement):
    client.force_login(manager)

    response = client.get(URL, {"q": "klimaplan"})

    html = response.content.decode()
    assert response.status_code == 200
    assert headings(html) == Kind.values
    assert f'<a href="/agreements/{agreement.pk}/" class="fw-semibold">Avtale om <mark>klimaplan</mark></a>' in html
    assert f'href="{reverse("actionplans:measure_detail", args=[oslo_measure.pk])}"' in html
    assert "Results for “klimaplan” that you may read" in html


def test_a_city_sees_only_its_groups(client, everything, contact_oslo):
    client.force_login(contact_oslo)

    html = client.get(URL, {"q": "klimaplan"}).content.decode()

    assert headings(html) == ["measure", "programme", "meeting", "instrument"]


def test_nothing_found(client, everything, contact_oslo):
    client.force_login(contact_oslo)

    html = client.get(URL, {"q": "kommentareffekten"}).content.decode()

    assert headings(html) == []
    assert "Nothing that you may read matches “kommentareffekten”." in html


def many_measures(programme, theme_area, n):
    Measure.objects.bulk_create(
        [Measure(programme=programme, theme_area=theme_area, title=f"Ladestasjon {k}") for k in range(n)]
    )
    reindex_all([Kind.MEASURE])


def test_a_group_links_to_the_rest_of_its_kind(client, everything, manager, oslo_programme, atp):
    many_measures(oslo_programme, atp, 7)
    client.force_login(manager)

    html = client.get(URL, {"q": "ladestasjon"}).content.decode()

    assert html.count('class="search-hit') == 5
    assert (
        '<a href="?q=ladestasjon&amp;kind=measure">2 more<span class="visually-hidden"> – Measures</span></a>' in html
    )


def test_one_kind_by_pages_of_fifty(client, everything, manager, oslo_programme, atp):
    many_measures(oslo_programme, atp, 55)
    client.force_login(manager)

    first = client.get(URL, {"q": "ladestasjon", "kind": "measure"}).content.decode()
    second = client.get(URL, {"q": "ladestasjon", "kind": "measure", "page": "2"}).content.decode()
    beyond = client.get(URL, {"q": "ladestasjon", "kind": "measure", "page": "99"})

    assert (first.count('class="search-hit'), second.count('class="search-hit')) == (50, 5)
    assert "55 matches" in first
    assert "Page 1 of 2" in first
    assert beyond.status_code == 200
    assert beyond.content.decode().count('class="search-hit') == 5  # the last page


def queries_for(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["manager", "contact_oslo", "coordinator", "partner"])
def test_queries_do_not_grow_with_the_results(client, everything, request, persona, oslo_programme, atp):
    """2 matches, then 30: the same number of queries, for the grouped page and for one kind's."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    many_measures(oslo_programme, atp, 2)
    few = queries_for(client, {"q": "ladestasjon klimaplan"}), queries_for(client, {"q": "ladestasjon"})
    few_kind = queries_for(client, {"q": "ladestasjon", "kind": "measure"})
    many_measures(oslo_programme, atp, 30)
    many = queries_for(client, {"q": "ladestasjon klimaplan"}), queries_for(client, {"q": "ladestasjon"})
    many_kind = queries_for(client, {"q": "ladestasjon", "kind": "measure"})

    assert (many, many_kind) == (few, few_kind)
    assert max(*many, many_kind) <= 20


def test_the_grouped_page_within_twenty_queries(client, everything, superuser, django_assert_max_num_queries):
    client.force_login(superuser)

    with django_assert_max_num_queries(20):
        response = client.get(URL, {"q": "klimaplan"})

    assert len(headings(response.content.decode())) == len(Kind)


def test_a_hostile_title_is_shown_escaped(client, everything, manager, oslo_programme, atp):
    Measure.objects.create(
        programme=oslo_programme,
        theme_area=atp,
        title="<script>alert(1)</script><img src=x onerror=alert(1)> Bussvei",
        description='"><svg onload=alert(1)> bussvei',
    )
    reindex_all([Kind.MEASURE])
    client.force_login(manager)

    html = client.get(URL, {"q": "bussvei"}).content.decode()

    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; <mark>Bussvei</mark>" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Type what you are looking for."),
        ({"q": "   "}, "Type what you are looking for."),
        ({"kind": "measure"}, "Type what you are looking for."),
        ({"q": "x" * 201}, "Search for at most 200 characters (you typed 201)."),
        ({"q": "!!! ???"}, "Search for at least one word of letters or digits."),
        ({"q": "klimaplan", "kind": "passwords"}, "There is nothing of the kind “passwords” to search."),
    ],
)
def test_bad_input_gets_a_message(client, everything, manager, params, message):
    client.force_login(manager)

    response = client.get(URL, params)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html
    assert headings(html) == []


@pytest.mark.parametrize(
    "query",
    [
        '"tiltak',
        "tiltak OR",
        "NEAR(tiltak bybanen)",
        "title:tiltak",
        "tiltak*",
        "-tiltak",
        "^tiltak",
        "tiltak AND NOT",
        "'; DROP TABLE search_entry; --",
        "og i på",  # only stop words
        "(((",
        "\x00tiltak",
    ],
)
def test_search_syntax_is_never_an_error(client, everything, manager, query):
    client.force_login(manager)

    assert client.get(URL, {"q": query}).status_code == 200
    assert client.get(URL, {"q": query, "kind": "measure"}).status_code == 200


def test_a_bad_page_number_is_the_first_page(client, everything, manager):
    client.force_login(manager)

    response = client.get(URL, {"q": "klimaplan", "kind": "measure", "page": "abc"})

    assert response.status_code == 200
    assert response.content.decode().count('class="search-hit') == 2


def test_the_page_without_a_query_explains_itself(client, manager):
    client.force_login(manager)

    html = client.get(URL).content.decode()

    assert "Forms of a Norwegian word find each other" in html
    assert 'aria-invalid="true"' not in html


def test_the_header_has_a_search_box(client, contact_oslo):
    client.force_login(contact_oslo)

    html = client.get(reverse("home")).content.decode()

    box = re.search(
        r'<form class="portal-search[^"]*" role="search" method="get" action="/search/"[^>]*>(.*?)</form>', html, re.S
    )
    assert box is not None
    assert '<label for="header-search" class="visually-hidden">Search for</label>' in box.group(1)
    assert '<input type="search" id="header-search" name="q" value=""' in box.group(1)


def test_the_header_box_keeps_the_query(client, contact_oslo):
    client.force_login(contact_oslo)

    html = client.get(URL, {"q": "<b>sykkel</b>"}).content.decode()

    assert 'id="header-search" name="q" value="&lt;b&gt;sykkel&lt;/b&gt;"' in html


def test_no_search_box_before_logging_in(client):
    html = client.get(reverse("login")).content.decode()

    assert 'role="search"' not in html
