"""A list's page and its export take one FilterSet: for the same query string they show
the same rows, and a value that is no choice leaves that filter out on both, never a 500."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from actionplans import services
from agreements import services as agreement_services
from agreements.models import Agreement
from cities.models import Organisation
from tests import factories
from tests.conftest import upload


def page(client, user, name, query):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return response.context


def export_rows(client, user, table, query):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("export", args=[table, "csv"]), query)
    assert response.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return header, rows


# The programme list: ProgrammeFilter


@pytest.fixture
def programmes(round_, oslo_programme, bergen_submitted):
    """Oslo's programme not started and Bergen's submitted programme in `round_`; Trondheim's not started in a round that is over."""
    older = factories.RoundFactory(
        name="Handlingsprogram 2020", slug="handlingsprogram-2020", deadline__due_date=datetime.date(2020, 1, 15)
    )
    factories.ProgrammeFactory(round=older, city=factories.CityFactory(name="Trondheim", slug="trondheim"))
    return {"round": round_, "older": older}


@pytest.mark.parametrize(
    ("query", "cities"),
    [
        ({}, ["Bergen", "Oslo"]),
        ({"round": "handlingsprogram-2030"}, ["Bergen", "Oslo"]),
        ({"round": "handlingsprogram-2020"}, ["Trondheim"]),
        ({"round": "handlingsprogram-2030", "status": "submitted_on_time"}, ["Bergen"]),
        ({"status": "not_started"}, ["Oslo"]),
        ({"round": "handlingsprogram-2020", "status": "submitted_on_time"}, []),
        # No choice: that filter is left out (an unknown round is the current one).
        ({"round": "no-such-round", "status": "not_started"}, ["Oslo"]),
        ({"status": "<script>"}, ["Bergen", "Oslo"]),
        # A parameter given twice counts with its last value.
        ({"round": "x" * 5000, "status": ["not_started", "submitted_on_time"]}, ["Bergen"]),
    ],
)
def test_programme_list_and_its_export_show_the_same_programmes(client, manager, programmes, query, cities):
    context = page(client, manager, "actionplans:programme_list", query)
    header, rows = export_rows(client, manager, "programmes", query)

    assert [p.city.name for p in context["programmes"]] == cities
    assert [row[header.index("City")] for row in rows] == cities
    expected_round = programmes["older"] if query.get("round") == "handlingsprogram-2020" else programmes["round"]
    assert context["round"] == expected_round


def test_measures_export_takes_the_programme_list_filters(client, manager, programmes, oslo_programme, atp):
    factories.MeasureFactory(programme=oslo_programme, theme_area=atp, title="Parkeringsnorm")

    _, draft_rows = export_rows(client, manager, "measures", {"status": "not_started"})
    _, submitted_rows = export_rows(client, manager, "measures", {"status": "submitted_on_time"})

    assert [row[0] for row in draft_rows] == ["Oslo"]
    assert submitted_rows == []


# The review grid: ReviewGridFilter


@pytest.mark.parametrize(
    "query",
    [{}, {"round": "handlingsprogram-2030"}, {"round": "handlingsprogram-2020"}, {"round": "no-such-round"}],
)
def test_review_grid_and_its_export_show_the_same_submitted_programmes(client, manager, programmes, atp, energy, query):
    stavanger = factories.ProgrammeFactory(
        round=programmes["older"], city=factories.CityFactory(name="Stavanger", slug="stavanger")
    )
    upload(stavanger, manager)
    services.submit_programme(stavanger, by=manager)
    context = page(client, manager, "actionplans:review_grid", query)
    header, rows = export_rows(client, manager, "reviews", query)

    submitted = [r["programme"].city.name for r in context["rows"] if r["programme"].submitted_at]
    exported = sorted({row[header.index("City")] for row in rows})
    assert exported == submitted
    # Each submitted programme once per theme area.
    assert len(rows) == len(submitted) * 2


def test_reviews_export_chooses_cells_by_theme_and_status_within_the_grid(client, manager, programmes, atp, energy):
    _, atp_rows = export_rows(client, manager, "reviews", {"theme": "atp"})
    _, started = export_rows(client, manager, "reviews", {"status": "in_progress"})
    _, forged = export_rows(client, manager, "reviews", {"status": "'; drop table", "theme": "atp"})

    assert [(row[0], row[1]) for row in atp_rows] == [("Bergen", atp.name)]
    assert started == []
    assert [(row[0], row[1]) for row in forged] == [("Bergen", atp.name)]


# The agreement pipeline: AgreementFilter


@pytest.fixture
def agreements(manager, partner, atp, energy, oslo, bergen):
    ks = Organisation.objects.get(memberships__user=partner)
    first = Agreement.objects.create(title="Belønningsordning", kind="long_term_economic", created_by=manager)
    first.theme_areas.set([atp])
    agreement_services.set_parties(first, cities=[bergen], organisations=[ks])
    second = Agreement.objects.create(
        title="Kurs i passivhus", kind="competence_building", created_by=manager, status="signed"
    )
    second.theme_areas.set([atp, energy])
    agreement_services.set_parties(second, cities=[oslo, bergen], organisations=[])
    return {"ks": ks}


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({}, ["Belønningsordning", "Kurs i passivhus"]),
        ({"kind": "competence_building"}, ["Kurs i passivhus"]),
        ({"theme": "atp"}, ["Belønningsordning", "Kurs i passivhus"]),
        ({"theme": "energy"}, ["Kurs i passivhus"]),
        ({"city": "bergen"}, ["Belønningsordning", "Kurs i passivhus"]),
        ({"city": "oslo", "theme": "atp"}, ["Kurs i passivhus"]),
        ({"party": "KS"}, ["Belønningsordning", "Kurs i passivhus"]),
        ({"theme": "no-such-theme"}, []),
        # No choice: that filter is left out.
        ({"kind": "bribe", "city": "oslo"}, ["Kurs i passivhus"]),
        ({"party": "9" * 40}, ["Belønningsordning", "Kurs i passivhus"]),
        ({"party": "²"}, ["Belønningsordning", "Kurs i passivhus"]),
    ],
)
def test_pipeline_and_its_export_show_the_same_agreements(client, manager, agreements, query, titles):
    context = page(client, manager, "agreements:pipeline", query)
    header, rows = export_rows(client, manager, "agreements", query)

    shown = sorted(a.title for column in context["columns"] for a in column["agreements"])
    assert shown == titles
    assert [row[header.index("Title")] for row in rows] == titles


def test_pipeline_and_its_export_filter_by_party_id(client, manager, agreements):
    query = {"party": str(agreements["ks"].pk)}

    context = page(client, manager, "agreements:pipeline", query)
    header, rows = export_rows(client, manager, "agreements", query)

    assert [a.title for column in context["columns"] for a in column["agreements"]] == ["Belønningsordning"]
    assert [row[header.index("Title")] for row in rows] == ["Belønningsordning"]


def test_agreements_export_also_takes_a_status(client, manager, agreements):
    _, signed = export_rows(client, manager, "agreements", {"status": "signed"})
    _, forged = export_rows(client, manager, "agreements", {"status": "void"})

    assert [row[0] for row in signed] == ["Kurs i passivhus"]
    assert [row[0] for row in forged] == ["Belønningsordning", "Kurs i passivhus"]
