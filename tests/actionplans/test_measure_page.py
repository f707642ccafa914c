"""A measure's own page: what it shows, who reads it, its lineage over the rounds, the links to it
from the other pages, and its cost in queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services
from actionplans.models import Measure, MeasureCategory, MeasureDrop, Round
from agreements.models import Agreement
from tests import factories
from tests.actionplans.test_carry_over import earlier_round, submitted_programme
from tests.conftest import upload

pytestmark = pytest.mark.django_db


def log_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def page(measure):
    return reverse("actionplans:measure_detail", args=[measure.pk])


@pytest.fixture
def bergen_measure(bergen_programme, contact_bergen, coordinator, manager, atp):
    """A land-use measure of Bergen's submitted programme, assessed, and part of an agreement."""
    category = MeasureCategory.objects.create(theme_area=atp, name_nb="Sykkel", name_en="Cycling")
    measure = factories.MeasureFactory(
        programme=bergen_programme,
        theme_area=atp,
        category=category,
        title="Bysykler",
        description="Bysykler ved alle stasjoner",
        expected_effect=Decimal("120.0"),
        cost_estimate=2_500_000,
        status="ongoing",
        sector="road_traffic",
    )
    upload(bergen_programme, contact_bergen)
    services.submit_programme(bergen_programme, by=contact_bergen)
    services.assess_measure(measure, effect=Decimal("80.0"), reason="Færre brukere enn antatt", by=coordinator)
    agreement = Agreement.objects.create(title="Sykkelavtale", kind="pilot_project", created_by=manager)
    agreement.theme_areas.set([atp])
    agreement.measures.set([measure])
    return Measure.objects.get(pk=measure.pk)


def test_the_page_shows_the_measure(client, coordinator, bergen_measure):
    log_in(client, coordinator)

    response = client.get(page(bergen_measure))

    html = response.content.decode()
    for shown in [
        '<h1 class="h2 mb-1">Bysykler</h1>',
        "Land use and transport",
        "Cycling",
        "Road traffic",
        "Bysykler ved alle stasjoner",
        "120.0 t CO₂e per year",
        "80.0 t CO₂e per year",
        "Færre brukere enn antatt",
        "Assessed by koordinator-atp",
        "Ongoing",
        "Sykkelavtale",
        "This measure has no earlier or later version",
    ]:
        assert shown in html, shown
    assert reverse("agreements:agreement_detail", args=[bergen_measure.agreements.get().pk]) in html


def test_the_page_shows_the_measures_timeline_after_its_lineage(client, coordinator, bergen_measure):
    log_in(client, coordinator)

    html = client.get(page(bergen_measure)).content.decode()

    # Planned in the submitted programme, then its agreement (`results.templatetags.progress_timeline`).
    assert html.index('id="lineage-heading"') < html.index(">Timeline</h2>")
    timeline = html[html.index(">Timeline</h2>") :]
    assert "Sykkelavtale" in timeline[: timeline.index("</section>")]


# Who reads it


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("contact_bergen", 200),
        ("coordinator", 200),
        ("manager", 200),
        ("partner", 200),
        ("superuser", 200),
        ("contact_oslo", 404),  # the round is not open to the cities yet
        ("outsider", 404),
    ],
)
def test_who_reads_a_measure_of_a_submitted_programme(request, client, bergen_measure, persona, status):
    log_in(client, request.getfixturevalue(persona))

    assert client.get(page(bergen_measure)).status_code == status


def test_other_cities_read_it_once_the_round_is_open_to_them(client, contact_oslo, bergen_measure):
    Round.objects.filter(pk=bergen_measure.programme.round_id).update(open_to_cities=Round.Openness.ALWAYS)
    log_in(client, contact_oslo)

    assert client.get(page(bergen_measure)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("contact_oslo", 200), ("manager", 200), ("coordinator", 404), ("partner", 404), ("contact_bergen", 404)],
)
def test_who_reads_a_measure_of_a_draft(request, client, oslo_programme, atp, persona, status):
    measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp)
    log_in(client, request.getfixturevalue(persona))

    assert client.get(page(measure)).status_code == status


def test_anonymous_is_sent_to_log_in(client, bergen_measure):
    response = client.get(page(bergen_measure))

    assert response["Location"] == f"{reverse('login')}?next={page(bergen_measure)}"


def test_an_unknown_measure_is_not_found(client, manager):
    log_in(client, manager)

    assert client.get("/measures/999999/").status_code == 404


# Lineage


@pytest.fixture
def chain(oslo, contact_oslo, atp, oslo_programme):
    """Oslo's bike lanes: in 2026, kept in 2028, changed in 2030 (a draft); the 2026 parking norm,
    dropped in 2028."""
    first = submitted_programme(
        earlier_round(2026),
        oslo,
        contact_oslo,
        [
            {"title": "Sykkelveier", "theme_area": atp, "expected_effect": Decimal("40.0")},
            {"title": "Parkeringsnorm", "theme_area": atp},
        ],
    )
    bike, parking = first.measures.get(title="Sykkelveier"), first.measures.get(title="Parkeringsnorm")
    second = factories.ProgrammeFactory(round=earlier_round(2028), city=oslo)
    (kept,) = services.carry_over(second, source=first, decisions=[(bike, "keep", "")], by=contact_oslo)
    services.carry_over(second, source=first, decisions=[(parking, "drop", "Vedtatt")], by=contact_oslo)
    upload(second, contact_oslo)
    services.submit_programme(second, by=contact_oslo)
    (changed,) = services.carry_over(oslo_programme, source=second, decisions=[(kept, "change", "")], by=contact_oslo)
    Measure.objects.filter(pk=changed.pk).update(title="Sykkelveier og bysykler", expected_effect=Decimal("60.0"))
    return {"bike": bike, "parking": parking, "kept": kept, "changed": changed, "first": first, "second": second}


def test_the_lineage_shows_earlier_and_later_versions(client, contact_oslo, chain):
    log_in(client, contact_oslo)

    response = client.get(page(chain["kept"]))

    lineage = response.context["lineage"]
    assert [(v.pk, v.round_name, v.title, v.expected_effect) for v in lineage.earlier] == [
        (chain["bike"].pk, "Handlingsprogram 2026", "Sykkelveier", Decimal("40.0"))
    ]
    assert [(v.pk, v.round_name, v.title, v.carry) for v in lineage.later] == [
        (chain["changed"].pk, "Handlingsprogram 2030", "Sykkelveier og bysykler", "changed")
    ]
    html = response.content.decode()
    assert page(chain["bike"]) in html
    assert page(chain["changed"]) in html
    assert (
        "Sykkelveier og bysykler</a> – Handlingsprogram 2030, 60.0 t CO₂e per year (carried over and changed)" in html
    )


def test_the_first_version_lists_every_later_one_in_order(client, contact_oslo, chain):
    log_in(client, contact_oslo)

    lineage = client.get(page(chain["bike"])).context["lineage"]

    assert [v.pk for v in lineage.earlier] == []
    assert [v.pk for v in lineage.later] == [chain["kept"].pk, chain["changed"].pk]


def test_a_dropped_measure_says_where_and_why(client, contact_oslo, chain):
    log_in(client, contact_oslo)

    response = client.get(page(chain["parking"]))

    assert [(d.programme, d.reason) for d in response.context["lineage"].drops] == [(chain["second"], "Vedtatt")]
    html = response.content.decode()
    assert "Dropped from" in html
    assert "Oslo, Handlingsprogram 2028</a>" in html
    assert "“Parkeringsnorm” – Vedtatt" in html


def test_the_lineage_leaves_out_programmes_the_reader_may_not_read(client, coordinator, chain):
    """The coordinator reads Oslo's submitted programmes, not its 2030 draft."""
    log_in(client, coordinator)

    lineage = client.get(page(chain["kept"])).context["lineage"]

    assert [v.pk for v in lineage.earlier] == [chain["bike"].pk]
    assert lineage.later == []


def test_lineage_page_costs_the_same_for_2_and_20_versions(client, manager, oslo, bergen, atp):
    """Oslo's measure has 2 versions, Bergen's 20 (one round each), each chain with a drop at its end."""
    rounds = [earlier_round(year) for year in range(2031, 2051)]

    def chain(city, n):
        previous = None
        for round_ in rounds[:n]:
            programme = factories.ProgrammeFactory(round=round_, city=city)
            previous = factories.MeasureFactory(
                programme=programme, theme_area=atp, carried_from=previous, carry="kept" if previous else ""
            )
        MeasureDrop.objects.create(measure=previous, programme=programme, reason="Delt i to", dropped_by=manager)
        return previous

    log_in(client, manager)

    def count(measure):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page(measure))
        lineage = response.context["lineage"]
        return len(queries), len(lineage.earlier) + 1, len(lineage.drops)

    two, twenty = count(chain(oslo, 2)), count(chain(bergen, 20))

    assert (two[1:], twenty[1:]) == ((2, 1), (20, 1))
    assert two[0] == twenty[0] <= 15


# Links to the page


def test_the_programme_page_links_each_title(client, contact_bergen, bergen_measure):
    log_in(client, contact_bergen)

    html = client.get(reverse("actionplans:programme_detail", args=[bergen_measure.programme_id])).content.decode()

    assert f'<a href="{page(bergen_measure)}">Bysykler</a>' in html


def test_the_review_page_links_each_title(client, coordinator, bergen_measure):
    log_in(client, coordinator)

    html = client.get(reverse("actionplans:review_detail", args=[bergen_measure.programme_id, "atp"])).content.decode()

    assert f'<a href="{page(bergen_measure)}">Bysykler</a>' in html


def test_the_theme_across_the_cities_links_each_title(client, coordinator, bergen_measure, round_):
    log_in(client, coordinator)

    html = client.get(reverse("actionplans:theme_compare", args=["atp"]), {"round": round_.slug}).content.decode()

    assert f'<a href="{page(bergen_measure)}">Bysykler</a>' in html


def test_the_group_of_similar_measures_links_each_title(
    client, coordinator, bergen_measure, round_, oslo, contact_oslo
):
    other = factories.MeasureFactory(
        programme=factories.ProgrammeFactory(round=round_, city=oslo),
        theme_area=bergen_measure.theme_area,
        category=bergen_measure.category,
        title="Sykkelparkering",
    )
    upload(other.programme, contact_oslo)
    services.submit_programme(other.programme, by=contact_oslo)
    log_in(client, coordinator)

    html = client.get(
        reverse("actionplans:similar_measures"),
        {"round": round_.slug, "group": f"category-{bergen_measure.category_id}"},
    ).content.decode()

    assert f'<a href="{page(bergen_measure)}">Bysykler</a>' in html
    assert f'<a href="{page(other)}">Sykkelparkering</a>' in html
