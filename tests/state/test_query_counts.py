"""The register, an instrument's page and the lists of requests cost the same for three rows and for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from state import services
from state.models import Instrument
from tests import factories


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_instruments(body, themes, n):
    for _ in range(n):
        instrument = Instrument.objects.create(
            body=body, name_nb=f"Ordning {Instrument.objects.count()}", kind="grant", offers_nb="Tilskudd"
        )
        instrument.theme_areas.set(themes)


def add_requests(round_, body, instrument, by, n):
    """`n` cities, each asking `body` for `instrument` for a measure of its programme."""
    for _ in range(n):
        programme = factories.ProgrammeFactory(round=round_)
        measure = factories.MeasureFactory(programme=programme)
        services.ask(
            programme=programme,
            measure=measure,
            body=body,
            instrument=instrument,
            need="Hjelp",
            needed_by=None,
            by=by,
        )


def test_the_register_costs_the_same_for_three_and_many_instruments(client, contact_oslo, body, atp, energy):
    client.force_login(contact_oslo)
    add_instruments(body, [atp], 3)
    three = count_queries(client, reverse("state:register"))

    add_instruments(body, [atp, energy], 30)
    many = count_queries(client, reverse("state:register"))

    assert three == many
    assert many < 20


@pytest.mark.parametrize("page", ["body", "city", "instrument"])
def test_the_lists_of_requests_cost_the_same_for_three_and_many(client, manager, round_, body, oslo, instrument, page):
    client.force_login(manager)
    urls = {
        "body": reverse("state:body_requests", args=[body.pk]),
        "city": reverse("state:city_requests", args=[oslo.slug]),
        "instrument": reverse("state:instrument_detail", args=[instrument.pk]),
    }
    if page == "city":
        add_requests_for(oslo, round_, body, instrument, manager, 3)
    else:
        add_requests(round_, body, instrument, manager, 3)
    three = count_queries(client, urls[page])

    if page == "city":
        add_requests_for(oslo, round_, body, instrument, manager, 30)
    else:
        add_requests(round_, body, instrument, manager, 30)
    many = count_queries(client, urls[page])

    assert three == many
    assert many < 20


def add_requests_for(city, round_, body, instrument, by, n):
    """`n` requests from `city`, each for a new measure of its programme."""
    programme = factories.ProgrammeFactory(round=round_, city=city)
    for _ in range(n):
        services.ask(
            programme=programme,
            measure=factories.MeasureFactory(programme=programme),
            body=body,
            instrument=instrument,
            need="Hjelp",
            needed_by=None,
            by=by,
        )


def test_a_request_s_page_costs_few_queries(client, partner, bergen_request):
    client.force_login(partner)

    assert count_queries(client, reverse("state:request_detail", args=[bergen_request.pk])) < 20
