"""A body publishes an offer for the other cities: its partners (or the programme management) mark an offer
published on the request's page, and unpublish it. Everyone in the programme then reads on the instrument's
page what was offered, the amount, from when, the conditions and which city got it, and nothing else of the
request; the register counts the published offers."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from state import services
from state.access import PUBLISHED_OFFER_FIELDS, published_offers
from state.models import StateRequest
from tests import factories

Status = StateRequest.Status
NEED = "Hemmelig behov: 40 millioner til bybanen"  # bergen_request's need (tests/state/conftest.py)
COMMENT = "Intern merknad: vi strakk oss langt"


def as_(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def offer(request, by, **fields):
    return services.answer(
        request,
        to_status=Status.OFFERED,
        by=by,
        comment=COMMENT,
        offer=fields.get("offer", "Tilskudd til bybanen fra belønningsordningen"),
        offer_amount=fields.get("offer_amount", 40_000_000),
        offer_from=fields.get("offer_from", datetime.date(2030, 6, 1)),
        offer_conditions=fields.get("offer_conditions", "Lokal medfinansiering på minst halvparten"),
    )


@pytest.fixture
def offered(bergen_request, partner):
    return offer(bergen_request, partner)


@pytest.fixture
def published(offered, partner):
    return services.publish_offer(offered, publish=True, by=partner)


def publish_url(request):
    return reverse("state:request_publish", args=[request.pk])


def instrument_url(instrument):
    return reverse("state:instrument_detail", args=[instrument.pk])


def stored(request):
    request.refresh_from_db()
    return request.published_at, request.published_by


# --- Who publishes ------------------------------------------------------------------------------------------

PERSONAS = ["contact_oslo", "contact_bergen", "coordinator", "manager", "partner", "enova_partner", "outsider"]


def test_the_bodys_partners_and_the_management_publish_an_offer(request, offered):
    users = {name: request.getfixturevalue(name) for name in [*PERSONAS, "superuser"]}
    users["anonymous"] = AnonymousUser()

    may = {name for name, user in users.items() if user.has_perm("state.publish_offer", offered)}

    assert may == {"manager", "partner", "superuser"}


@pytest.mark.parametrize("persona", ["partner", "manager"])
def test_publishing_shows_the_offer_on_the_instruments_page(request, client, offered, instrument, persona):
    user = request.getfixturevalue(persona)

    response = as_(client, user).post(publish_url(offered), {"publish": "publish"})

    assert response.status_code == 302
    assert response["Location"] == reverse("state:request_detail", args=[offered.pk])
    assert messages_of(response) == ["The offer is published on the instrument's page for every city."]
    published_at, published_by = stored(offered)
    assert published_at is not None and published_by == user
    assert offered.history.first().history_user == user
    assert [o["city"] for o in published_offers(instrument)] == ["Bergen"]


def test_unpublishing_takes_it_off_the_instruments_page(client, partner, published, instrument):
    response = as_(client, partner).post(publish_url(published), {"publish": "unpublish"})

    assert messages_of(response) == ["The offer is no longer published."]
    assert stored(published) == (None, None)
    assert published_offers(instrument) == []


def test_publishing_twice_changes_nothing(client, partner, published):
    before = stored(published)

    response = as_(client, partner).post(publish_url(published), {"publish": "publish"})

    assert response.status_code == 302
    assert stored(published) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("contact_bergen", 403),  # the city reads its request, but does not publish what it was offered
        ("contact_oslo", 404),  # another city
        ("coordinator", 404),
        ("enova_partner", 404),  # another body
        ("outsider", 404),
    ],
)
def test_who_may_not_publish(request, client, offered, persona, status):
    response = as_(client, request.getfixturevalue(persona)).post(publish_url(offered), {"publish": "publish"})

    assert response.status_code == status
    assert stored(offered) == (None, None)


def test_the_anonymous_are_sent_to_log_in(client, offered):
    response = client.post(publish_url(offered), {"publish": "publish"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert stored(offered) == (None, None)


@pytest.mark.parametrize("persona", ["contact_bergen", "contact_oslo"])
def test_who_may_not_unpublish(request, client, published, persona):
    before = stored(published)

    response = as_(client, request.getfixturevalue(persona)).post(publish_url(published), {"publish": "unpublish"})

    assert response.status_code in (403, 404)
    assert stored(published) == before


def test_publishing_is_a_post(client, partner, offered):
    assert as_(client, partner).get(publish_url(offered)).status_code == 405


@pytest.mark.parametrize("data", [{}, {"publish": "ja"}, {"publish": "publish" * 1000}])
def test_a_choice_that_is_none_is_refused_with_a_message(client, partner, offered, data):
    response = as_(client, partner).post(publish_url(offered), data)

    assert response.status_code == 302
    assert messages_of(response) == ["Choose whether to publish the offer."]
    assert stored(offered) == (None, None)


@pytest.mark.parametrize("answer", ["asked", "refused"])
def test_only_an_offer_is_published(client, partner, bergen_request, answer):
    if answer == "refused":
        services.answer(bergen_request, to_status=Status.REFUSED, by=partner, refusal_reason="Utenfor ordningen")

    response = as_(client, partner).post(publish_url(bergen_request), {"publish": "publish"})

    assert messages_of(response) == ["Only an offer can be published."]
    assert stored(bergen_request) == (None, None)


def test_an_offer_of_no_instrument_is_not_published(client, partner, bergen_submitted, contact_bergen, body):
    request = services.ask(
        programme=bergen_submitted, measure=None, body=body, instrument=None, need="Råd", needed_by=None,
        by=contact_bergen,
    )  # fmt: skip
    offer(request, partner)

    response = as_(client, partner).post(publish_url(request), {"publish": "publish"})

    assert messages_of(response) == [
        "Only an offer of an instrument in the register can be published: it is shown on its page."
    ]
    assert stored(request) == (None, None)
    page = client.get(reverse("state:request_detail", args=[request.pk])).text
    assert "Publish the offer for the other cities" not in page


def test_the_database_holds_only_offers_published(bergen_request):
    with pytest.raises(IntegrityError), transaction.atomic():
        StateRequest.objects.filter(pk=bergen_request.pk).update(published_at=datetime.datetime.now(datetime.UTC))


def test_an_offer_turned_into_an_agreement_stays_published(manager, published, instrument):
    agreement = Agreement.objects.create(title="Bybaneavtalen", kind="long_term_economic", created_by=manager)
    services.turn_into_agreement(published, agreement=agreement, by=manager)

    assert [o["city"] for o in published_offers(instrument)] == ["Bergen"]


# --- The request's page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "shown"), [("partner", True), ("manager", True), ("contact_bergen", False)])
def test_the_button_is_for_the_body_and_the_management(request, client, offered, persona, shown):
    page = as_(client, request.getfixturevalue(persona)).get(reverse("state:request_detail", args=[offered.pk])).text

    assert ("Publish the offer for the other cities" in page) is shown
    assert (f'action="{publish_url(offered)}"' in page) is shown


def test_the_city_sees_that_its_offer_is_published(client, contact_bergen, published):
    page = as_(client, contact_bergen).get(reverse("state:request_detail", args=[published.pk])).text

    assert "on the instrument's page for every city in the programme" in page
    assert "Unpublish the offer" not in page


def test_a_published_offer_is_unpublished_from_its_page(client, partner, published):
    page = as_(client, partner).get(reverse("state:request_detail", args=[published.pk])).text

    assert "Unpublish the offer" in page
    assert 'value="unpublish"' in page


def test_no_button_for_a_request_without_an_offer(client, partner, bergen_request):
    page = as_(client, partner).get(reverse("state:request_detail", args=[bergen_request.pk])).text

    assert "Publish the offer for the other cities" not in page


# --- What everyone in the programme reads ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "enova_partner", "contact_bergen"])
def test_everyone_in_the_programme_reads_the_offer_and_nothing_else_of_the_request(
    request, client, published, instrument, bergen_measure, contact_bergen, persona
):
    page = as_(client, request.getfixturevalue(persona)).get(instrument_url(instrument)).text

    assert "Offers made to cities" in page
    assert "Offered to Bergen" in page
    assert "Tilskudd til bybanen fra belønningsordningen" in page
    assert "Lokal medfinansiering på minst halvparten" in page
    assert "01/06/2030" in page
    assert "NOK 40,000,000" in page
    # Nothing of what the city asked, on what, who asked, or what the body noted.
    assert NEED not in page
    assert "40 millioner" not in page
    assert COMMENT not in page
    if persona != "contact_bergen":  # Bergen reads its own request in the list beside it
        assert bergen_measure.title not in page
        assert reverse("state:request_detail", args=[published.pk]) not in page
        assert contact_bergen.username not in page


def test_what_leaves_the_database_is_the_offer_and_the_city(published, instrument):
    (row,) = published_offers(instrument)

    assert set(row) == set(PUBLISHED_OFFER_FIELDS)
    assert set(PUBLISHED_OFFER_FIELDS) == {
        "offer",
        "offer_amount",
        "offer_from",
        "offer_conditions",
        "city",
        "published_at",
    }
    assert (row["offer"], row["offer_amount"], row["offer_from"], row["city"]) == (
        "Tilskudd til bybanen fra belønningsordningen",
        40_000_000,
        datetime.date(2030, 6, 1),
        "Bergen",
    )


def test_an_offer_not_published_is_not_shown(client, contact_oslo, offered, instrument):
    page = as_(client, contact_oslo).get(instrument_url(instrument)).text

    assert "Offers made to cities" not in page
    assert "Tilskudd til bybanen fra belønningsordningen" not in page


def test_the_anonymous_read_no_offer(client, published, instrument):
    response = client.get(instrument_url(instrument))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_outsider_reads_no_offer(client, outsider, published, instrument):
    response = as_(client, outsider).get(instrument_url(instrument))

    assert response.status_code == 404
    assert "Tilskudd til bybanen" not in response.text


def test_the_register_counts_the_published_offers(client, contact_oslo, published, instrument):
    page = as_(client, contact_oslo).get(reverse("state:register")).text

    assert "1 published offer" in page
    assert f'href="{instrument_url(instrument)}#published-heading"' in page


def test_an_instrument_without_published_offers_counts_none(client, contact_oslo, offered):
    page = as_(client, contact_oslo).get(reverse("state:register")).text

    assert "published offer" not in page


def test_the_instruments_page_costs_the_same_for_one_and_three_published_offers(
    client, contact_oslo, round_, body, instrument, partner, published
):
    as_(client, contact_oslo)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(instrument_url(instrument)).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(2):
        programme = factories.ProgrammeFactory(round=round_)
        asked = services.ask(
            programme=programme, measure=None, body=body, instrument=instrument, need="Hjelp", needed_by=None,
            by=partner,
        )  # fmt: skip
        services.publish_offer(offer(asked, partner), publish=True, by=partner)
    three = queries()

    assert len(published_offers(instrument)) == 3
    assert one == three
    assert three < 20
