"""The measure's timeline tag (rendered as the measure page will render it), the progress figures of the
dashboard, and what the list pages cost."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actionplans.models import Review
from results import progress, services
from results.models import ProgressReport
from results.templatetags.progress_timeline import timeline
from tests import factories

TAG = Template("{% load progress_timeline %}{% progress_timeline measure user %}")


def render(measure, user):
    with translation.override("en"):
        return TAG.render(Context({"measure": measure, "user": user}))


@pytest.fixture
def reported(reports, contact_bergen, bergen_measure, agreement, atp, bergen):
    """Bergen's land-use review completed on 01.03.2030; Bergen reported its measure under way, 60 % done."""
    review = Review.objects.create(
        programme=bergen_measure.programme,
        theme_area=atp,
        status=Review.Status.COMPLETED,
        completed_at=datetime.datetime(2030, 3, 1, 12, tzinfo=datetime.UTC),
    )
    party = agreement.parties.get(city=bergen)
    services.save_report(
        reports["bergen"],
        measures=[(bergen_measure, {"status": "under_way", "share_done": 60, "effect_now": Decimal("1200.5")})],
        agreements=[(party, {"status": "under_way", "share_done": 30, "spent": Decimal(500)})],
        by=contact_bergen,
        submit=True,
    )
    return review


def at(*args):
    return datetime.datetime(*args, 12, tzinfo=datetime.UTC)


@pytest.fixture
def dated(reported, reports, bergen_measure):
    """Submitted on 01.03.2029, reviewed on 01.04.2029 (the agreement was signed on 01.06.2029), reported on 02.06.2030."""
    type(bergen_measure.programme).objects.filter(pk=bergen_measure.programme_id).update(submitted_at=at(2029, 3, 1))
    Review.objects.filter(pk=reported.pk).update(completed_at=at(2029, 4, 1))
    type(reports["bergen"]).objects.filter(pk=reports["bergen"].pk).update(submitted_at=at(2030, 6, 2))


def test_the_timeline_shows_plan_review_agreement_and_report_oldest_first(dated, manager, bergen_measure, agreement):
    with translation.override("en"):
        events = timeline(bergen_measure, manager)

    assert [(e["kind"], e["date"], e["title"], str(e["detail"])) for e in events] == [
        ("planned", datetime.date(2029, 3, 1), "Planned in Handlingsprogram 2030", "Submitted"),
        ("reviewed", datetime.date(2029, 4, 1), "Reviewed", "the review of Land use and transport was completed"),
        ("agreement", datetime.date(2029, 6, 1), "Agreement: Belønningsordning for Bergen", "Active"),
        ("progress", datetime.date(2030, 6, 2), "Reported in Rapport 2030", "Under way"),
    ]
    html = render(bergen_measure, manager)
    assert "60 % done" in html
    assert "effect now 1,200.5 t CO₂e per year" in html
    assert f'href="/agreements/{agreement.pk}/"' in html


def test_the_timeline_shows_only_what_the_reader_may_read(dated, contact_oslo, partner, bergen_measure):
    assert render(bergen_measure, contact_oslo).strip() == ""  # the round is not open to the other cities
    # KS reads Bergen's submitted programme and the agreement it is party to, not Bergen's report.
    assert [e["kind"] for e in timeline(bergen_measure, partner)] == ["planned", "reviewed", "agreement"]


def test_the_timeline_costs_the_same_for_one_report_and_for_many(
    reported, manager, bergen_measure, django_assert_max_num_queries
):
    manager = type(manager).objects.get(pk=manager.pk)
    with CaptureQueriesContext(connection) as one:
        render(bergen_measure, manager)
    for n in range(3):
        extra = services.open_round(
            name=f"Ekstra {n}",
            slug=f"ekstra-{n}",
            kind="grant_use",
            programme_round=bergen_measure.programme.round,
            due_date=datetime.date(2031, 1, 1 + n),
            by=manager,
        )
        report = extra.reports.get(city=bergen_measure.programme.city)
        services.save_report(
            report, measures=[(bergen_measure, {"status": "done"})], agreements=[], by=manager, submit=True
        )
    manager = type(manager).objects.get(pk=manager.pk)

    with django_assert_max_num_queries(len(one)):
        html = render(bergen_measure, manager)

    assert html.count("Reported in") == 4


def test_progress_by_theme_and_by_city(
    reports, contact_oslo, contact_bergen, oslo_measures, bergen_measure, reporting_round, django_assert_num_queries
):
    cycling, passive = oslo_measures["Sykkelveier"], oslo_measures["Passivhus"]
    services.save_report(
        reports["oslo"],
        measures=[
            (cycling, {"status": "under_way", "share_done": 40, "spent": Decimal(1000), "effect_now": Decimal(300)}),
            (passive, {"status": "done", "share_done": 100, "spent": Decimal(500), "effect_now": Decimal(250)}),
        ],
        agreements=[],
        by=contact_oslo,
        submit=True,
    )
    services.save_report(
        reports["bergen"],
        measures=[(bergen_measure, {"status": "stopped", "share_done": 20, "spent": Decimal(7000)})],
        agreements=[],
        by=contact_bergen,
        submit=False,  # a draft: not counted
    )

    with django_assert_num_queries(1):
        themes = progress.by_theme([reporting_round])
    with django_assert_num_queries(1):
        cities = progress.by_city()

    common = {
        "reporting_round": reporting_round.pk,
        "round_name": "Rapport 2030",
        "due_date": datetime.date(2030, 5, 15),
    }
    with translation.override("en"):
        themes_en = progress.by_theme()
    assert [(t["theme"], t["rows"], t["under_way"], t["done"], t["stopped"]) for t in themes_en] == [
        ("Land use and transport", 1, 1, 0, 0),
        ("Energy in buildings", 1, 0, 1, 0),
    ]
    assert [
        {
            k: t[k]
            for k in (
                "reporting_round",
                "round_name",
                "due_date",
                "average_share",
                "total_spent",
                "total_effect_now",
                "total_claimed",
            )
        }
        for t in themes
    ] == [
        {
            **common,
            "average_share": 40,
            "total_spent": Decimal(1000),
            "total_effect_now": Decimal(300),
            "total_claimed": Decimal(1000),
        },
        {
            **common,
            "average_share": 100,
            "total_spent": Decimal(500),
            "total_effect_now": Decimal(250),
            "total_claimed": Decimal(200),
        },
    ]
    assert [
        (
            c["city_name"],
            c["rows"],
            c["not_started"],
            c["under_way"],
            c["done"],
            c["average_share"],
            c["total_spent"],
            c["total_effect_now"],
            c["total_claimed"],
        )
        for c in cities
    ] == [
        ("Oslo", 2, 0, 1, 1, 70, Decimal(1500), Decimal(550), Decimal(1200)),
    ]
    assert progress.agreements_by_round() == []


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_reports(reporting_round, n):
    cities = [factories.CityFactory() for _ in range(n)]
    ProgressReport.objects.bulk_create([ProgressReport(reporting_round=reporting_round, city=c) for c in cities])


def test_the_round_page_and_the_list_cost_the_same_for_few_and_many_reports(client, manager, reporting_round, round_):
    client.force_login(manager)
    detail = reverse("results:round_detail", args=[reporting_round.slug])
    few = (count(client, detail), count(client, reverse("results:round_list")))
    add_reports(reporting_round, 60)
    for n in range(3):
        services.open_round(
            name=f"R {n}",
            slug=f"r-{n}",
            kind="yearly",
            programme_round=round_,
            due_date=datetime.date(2031, 1, 1),
            by=manager,
        )

    many = (count(client, detail), count(client, reverse("results:round_list")))

    assert reporting_round.reports.count() == 63
    assert many == few
    assert max(many) <= 20


def test_the_report_page_costs_the_same_for_few_and_many_rows(client, contact_oslo, reports, oslo_measures, atp):
    client.force_login(contact_oslo)
    url = reverse("results:report_detail", args=[reports["oslo"].pk])
    few = count(client, url)
    programme = oslo_measures["Sykkelveier"].programme
    for n in range(10):
        factories.MeasureFactory(programme=programme, theme_area=atp, title=f"Tiltak {n}")

    assert count(client, url) == few <= 20
