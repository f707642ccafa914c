"""A city's page: its emissions by sector and year beside its measures' claimed cuts, and the flags."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services
from actionplans.models import Measure, MeasureCategory, Round
from emissions.baseline import city_baseline, claimed_measures, same_measure
from emissions.models import Emission
from tests import factories
from tests.conftest import upload


@pytest.fixture
def adaptation(db):
    return factories.ThemeAreaFactory(code="adaptation", name_nb="Klimatilpasning", name_en="Climate adaptation")


def figures(city, years, tonnes=100):
    Emission.objects.bulk_create(
        [
            Emission(city=city, year=year, sector=sector, tonnes=tonnes)
            for year in years
            for sector in ("road_traffic", "heating")
        ]
    )


def measure(programme, theme, title, effect, sector="road_traffic", category=None):
    return Measure.objects.create(
        programme=programme, theme_area=theme, title=title, expected_effect=effect, sector=sector, category=category
    )


def baseline_for(user, city):
    return city_baseline(city.emissions.all(), claimed_measures(user, city, Round.objects.current()))


def test_the_table_has_the_last_years_latest_first_and_the_totals(oslo, manager, oslo_programme, atp):
    figures(oslo, range(2010, 2023))
    Emission.objects.filter(year=2022, sector="heating").update(tonnes=50)
    measure(oslo_programme, atp, "Bompenger", 25)
    measure(oslo_programme, atp, "Uten sektor", 7, sector="")

    baseline = baseline_for(manager, oslo)

    assert baseline.years == [2022, 2021, 2020, 2019, 2018]
    assert baseline.totals == [150, 200, 200, 200, 200]
    road = baseline.lines[[line.sector for line in baseline.lines].index("road_traffic")]
    assert (road.figures, road.latest, road.claimed, road.share) == ([100] * 5, 100, 25, 25)
    assert (baseline.claimed_total, baseline.claimed_unassigned) == (25, 7)
    assert [line.sector for line in baseline.shown_lines] == ["heating", "road_traffic"]  # the others have nothing
    assert not baseline.flagged


def test_flag_a_claimed_cut_larger_than_the_sector(oslo, manager, oslo_programme, atp):
    figures(oslo, [2021])
    measure(oslo_programme, atp, "Bompenger", 60)
    measure(oslo_programme, atp, "Nullutslippssoner", 60)

    baseline = baseline_for(manager, oslo)

    assert [line.sector for line in baseline.exceeding] == ["road_traffic"]
    assert baseline.flagged


def test_flag_an_adaptation_measure_that_claims_a_cut(oslo, manager, oslo_programme, adaptation):
    claiming = measure(oslo_programme, adaptation, "Overvann", 5, sector="")
    measure(oslo_programme, adaptation, "Flomvern", 0, sector="")
    measure(oslo_programme, adaptation, "Grønne tak", None, sector="")

    assert baseline_for(manager, oslo).adaptation_claims == [claiming]


def test_flag_two_measures_that_claim_the_same_cut(oslo, manager, oslo_programme, atp, energy):
    category = MeasureCategory.objects.create(theme_area=atp, name_nb="Parkering", name_en="Parking")
    a = measure(oslo_programme, atp, "Parkeringsnorm", 12, category=category)
    b = measure(oslo_programme, atp, "Færre p-plasser", 12, category=category)  # same category
    c = measure(oslo_programme, energy, "Fjernvarme i Groruddalen", 8, sector="heating")
    d = measure(oslo_programme, energy, "Fjernvarme i Groruddalen.", 8, sector="heating")  # near-identical title
    measure(oslo_programme, atp, "Sykkelveier", 12)  # same cut, other category and title
    measure(oslo_programme, energy, "Fjernvarme i Groruddalen", 9, sector="heating")  # another cut
    measure(oslo_programme, atp, "Null A", 0)
    measure(oslo_programme, atp, "Null A", 0)  # no cut claimed: not a double count

    claims = baseline_for(manager, oslo).duplicate_claims

    assert [(claim.effect, claim.measures) for claim in claims] == [(12, (a, b)), (8, (c, d))]


def test_same_measure_by_title():
    assert same_measure(Measure(title="Ny bussterminal"), Measure(title="ny  bussterminal!"))
    assert same_measure(Measure(title="Innfartsparkering ved Kolbotn"), Measure(title="Innfartsparkering ved Kolbotnn"))
    assert not same_measure(Measure(title="Sykkelveier"), Measure(title="Gangveier"))


def test_claims_are_only_of_programmes_the_user_sees(oslo, contact_bergen, manager, oslo_programme, atp, contact_oslo):
    measure(oslo_programme, atp, "Bompenger", 25)

    # Oslo's programme is a draft: Bergen's contact does not see it, the management does.
    assert baseline_for(contact_bergen, oslo).claimed_total is None
    assert baseline_for(manager, oslo).claimed_total == 25


def test_claims_are_of_the_current_round_only(oslo, manager, oslo_programme, atp):
    older = factories.RoundFactory(name="Handlingsprogram 2009", slug="hp-2009", deadline__due_date="2009-06-01")
    measure(factories.ProgrammeFactory(round=older, city=oslo), atp, "Gammelt", 99)
    measure(oslo_programme, atp, "Nytt", 1)

    assert baseline_for(manager, oslo).claimed_total == 1


def test_a_city_without_figures(oslo, manager):
    baseline = baseline_for(manager, oslo)

    assert (baseline.years, baseline.totals, baseline.flagged, baseline.has_claims) == ([], [], False, False)


def page_queries(client, city):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("city_detail", args=[city.slug]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_city_page_costs_the_same_for_one_and_fifteen_years(client, contact_bergen, bergen, bergen_programme, atp):
    upload(bergen_programme, contact_bergen)
    services.submit_programme(bergen_programme, by=contact_bergen)
    measure(bergen_programme, atp, "Bybane", 50)
    client.force_login(contact_bergen)
    figures(bergen, [2021])
    one, _page = page_queries(client, bergen)

    Emission.objects.all().delete()
    figures(bergen, range(2007, 2022))
    measure(bergen_programme, atp, "Bybane", 50)  # and a doubled claim
    fifteen, page = page_queries(client, bergen)

    assert one == fifteen
    assert fifteen <= 20
    assert "Bybane" in page


def test_the_city_page_shows_the_table_and_the_flags(client, oslo, manager, oslo_programme, atp):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    figures(oslo, [2020, 2021], tonnes=Decimal("40.5"))
    measure(oslo_programme, atp, "Bompenger", 60)

    _count, page = page_queries(client, oslo)

    assert '<th scope="col" class="num">2021</th><th scope="col" class="num">2020</th>' in page
    assert "Road traffic: the measures claim a cut of 60.0 t, more than the sector emitted in 2021 (40.5 t)." in page
    assert "148.1 %" in page  # the share of 60 in 40.5
    assert reverse("emissions:imports") in page  # the management's way to the import


def test_the_city_page_without_figures(client, oslo, contact_oslo):
    client.force_login(contact_oslo)
    client.cookies["django_language"] = "en"

    _count, page = page_queries(client, oslo)

    assert "No emission figures have been imported for the city yet." in page
    assert reverse("emissions:imports") not in page
