"""The public pages of a published round: no login, only submitted programmes, both languages, constant cost."""

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import Measure
from agreements import services as agreement_services
from agreements.models import Agreement
from opendata.services import publish_round, withdraw_round
from tests import factories
from tests.conftest import upload
from tests.files import make_pdf


def public_urls(round_, city="bergen"):
    slug = round_.slug
    return [
        reverse("opendata:round", args=[slug]),
        reverse("opendata:city", args=[slug, city]),
        reverse("opendata:document", args=[slug, city]),
        *(
            reverse("opendata:download", args=[slug, t, f])
            for t in ("programmes", "measures", "agreements")
            for f in ("csv", "json")
        ),
    ]


def add_submitted_cities(round_, n, *, by, theme, ministry):
    """`n` more cities that have submitted, each with two measures (one assessed) and an agreement on one."""
    for i in range(n):
        city = factories.CityFactory()
        programme = factories.ProgrammeFactory(round=round_, city=city)
        upload(programme, by)
        first = factories.MeasureFactory(programme=programme, theme_area=theme, title=f"Tiltak {i}a")
        factories.MeasureFactory(programme=programme, theme_area=theme, title=f"Tiltak {i}b")
        services.submit_programme(programme, by=by)
        Measure.objects.filter(pk=first.pk).update(assessed_effect=10, assessed_reason="x")
        agreement = Agreement.objects.create(title=f"Avtale {i}", kind="pilot_project", created_by=by)
        agreement_services.set_parties(agreement, cities=[city], organisations=[ministry])
        agreement.measures.set([first])


def test_index_lists_the_published_rounds_with_totals_by_theme(client, published, round_):
    client.cookies["django_language"] = "en"

    response = client.get(reverse("opendata:index"))

    assert response.status_code == 200
    (item,) = response.context["rounds"]
    assert (item["round"], item["programmes"]) == (round_, 1)
    assert [
        (r["theme"], r["count"], float(r["effect"]), r["assessed"] and float(r["assessed"])) for r in item["themes"]
    ] == [
        ("Land use and transport", 1, 120.0, 80.0),
        ("Energy in buildings", 1, 30.5, None),
    ]
    assert (item["total"]["count"], float(item["total"]["effect"]), float(item["total"]["assessed"])) == (
        2,
        150.5,
        80.0,
    )


def test_an_unpublished_round_is_not_found_anywhere(client, public_world, round_):
    responses = [client.get(url) for url in public_urls(round_)]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert client.get(reverse("opendata:index")).context["rounds"] == []


def test_a_withdrawn_round_is_not_found_anywhere(client, published, round_, manager):
    withdraw_round(round_, by=manager)

    responses = [client.get(url) for url in public_urls(round_)]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert client.get(reverse("opendata:index")).context["rounds"] == []


def test_a_draft_programme_is_not_shown(client, published, round_):
    round_page = client.get(reverse("opendata:round", args=[round_.slug]))

    assert [p.city.slug for p in round_page.context["page"]] == ["bergen"]
    assert "Oslo" not in round_page.content.decode()
    assert client.get(reverse("opendata:city", args=[round_.slug, "oslo"])).status_code == 404
    assert client.get(reverse("opendata:document", args=[round_.slug, "oslo"])).status_code == 404


def test_a_programme_given_back_to_its_city_is_no_longer_shown(client, published, round_, public_world, manager):
    services.reopen_programme(public_world["bergen"], by=manager, comment="Mangler tiltak")

    assert client.get(reverse("opendata:city", args=[round_.slug, "bergen"])).status_code == 404
    assert client.get(reverse("opendata:document", args=[round_.slug, "bergen"])).status_code == 404
    assert list(client.get(reverse("opendata:round", args=[round_.slug])).context["page"]) == []


def test_city_page_shows_the_measures_and_agreements(client, published, round_):
    client.cookies["django_language"] = "en"

    response = client.get(reverse("opendata:city", args=[round_.slug, "bergen"]))

    assert response.status_code == 200
    assert [m.title for m in response.context["measures"]] == ["Bybane", "Fjernvarme"]
    assert [(a["agreement"].title, a["parties"]) for a in response.context["agreements"]] == [
        ("Belønningsordning", ["Bergen", "Organisation MD"])
    ]
    text = response.content.decode()
    for shown in ["Public transport", "Road traffic", "NOK 5,000,000", "120.0", "80.0", "Ongoing", "Signed"]:
        assert shown in text, shown
    assert "Beregningen er for optimistisk" not in text  # the reviewer's reason is not published
    assert "Oslos avtale" not in text


def test_pages_in_norwegian_and_in_english(client, published, round_):
    url = reverse("opendata:city", args=[round_.slug, "bergen"])

    norwegian = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()

    assert ('<html lang="nb">' in norwegian, "Areal og transport" in norwegian, "Temaområde" in norwegian) == (
        True,
        True,
        True,
    )
    assert ('<html lang="en">' in english, "Land use and transport" in english, "Theme area" in english) == (
        True,
        True,
        True,
    )


def test_an_anonymous_visitor_switches_the_language(client, published, round_):
    url = reverse("opendata:round", args=[round_.slug])

    switched = client.post(reverse("set_language"), {"language": "en", "next": url})
    response = client.get(url)

    assert (switched.status_code, switched["Location"]) == (302, url)
    assert '<html lang="en">' in response.content.decode()


def test_anonymous_header_shows_no_menu_of_the_logged_in(client, published, round_):
    client.cookies["django_language"] = "en"

    text = client.get(reverse("opendata:round", args=[round_.slug])).content.decode()

    assert ("Main navigation" in text, "Log out" in text, 'role="search"' in text) == (False, False, False)
    assert 'class="language-switch"' in text


def test_pages_have_headings_captions_and_scoped_headers(client, published, round_):
    for url in [reverse("opendata:index"), *public_urls(round_)[:2]]:
        text = client.get(url).content.decode()
        assert text.count("<h1") == 1, url
        assert text.count("<table") == text.count("<caption"), url
        assert "<th>" not in text, url


def test_document_is_the_submitted_version_under_a_name_of_its_own(client, published, round_):
    response = client.get(reverse("opendata:document", args=[round_.slug, "bergen"]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == make_pdf("Innsendt versjon")
    assert response["Content-Disposition"] == 'attachment; filename="handlingsprogram-2030-bergen.pdf"'
    assert (response["X-Content-Type-Options"], response["Content-Type"]) == ("nosniff", "application/pdf")


def test_post_to_a_public_page_is_not_allowed(client, published, round_):
    response = client.post(reverse("opendata:round", args=[round_.slug]))

    assert response.status_code == 405


def test_round_page_lists_fifty_cities_a_page(client, published, round_, manager, atp, public_world):
    add_submitted_cities(round_, 50, by=manager, theme=atp, ministry=public_world["ministry"])

    first = client.get(reverse("opendata:round", args=[round_.slug]))
    second = client.get(reverse("opendata:round", args=[round_.slug]), {"page": "2"})
    wrong = client.get(reverse("opendata:round", args=[round_.slug]), {"page": "x"})

    assert (len(first.context["page"]), len(second.context["page"]), first.context["page"].paginator.count) == (
        50,
        1,
        51,
    )
    assert wrong.status_code == 200


@pytest.mark.parametrize("cities", [2, 20])
def test_public_pages_cost_the_same_for_2_and_20_cities(
    client, published, round_, manager, atp, public_world, django_assert_max_num_queries, cities
):
    add_submitted_cities(round_, cities, by=manager, theme=atp, ministry=public_world["ministry"])
    publish_round(factories.RoundFactory(slug="handlingsprogram-2031", name="HP 2031"), by=manager)
    city = round_.programmes.exclude(city__slug__in=["oslo", "bergen"]).first().city

    for url in [
        reverse("opendata:index"),
        reverse("opendata:round", args=[round_.slug]),
        reverse("opendata:city", args=[round_.slug, city.slug]),
        reverse("opendata:catalog_jsonld"),
        *(
            reverse("opendata:download", args=[round_.slug, t, f])
            for t in ("programmes", "measures", "agreements")
            for f in ("csv", "json")
        ),
    ]:
        with django_assert_max_num_queries(12):
            response = client.get(url)
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
