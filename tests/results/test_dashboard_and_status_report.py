"""The progress reports on the dashboard and in the status report: for those who read every theme's reviews."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from actionplans import services as actionplans_services
from emissions.models import Emission
from reporting import dashboard, effects, reports
from results import services
from tests import pdf as read_pdf


@pytest.fixture
def reported(reports, contact_oslo, oslo_measures):
    services.save_report(
        reports["oslo"],
        measures=[
            (oslo_measures["Sykkelveier"], {"status": "under_way", "share_done": 40, "effect_now": Decimal(300)}),
            (oslo_measures["Passivhus"], {"status": "done", "share_done": 100, "spent": Decimal(500)}),
        ],
        agreements=[],
        by=contact_oslo,
        submit=True,
    )
    return reports


def test_the_dashboard_shows_the_results_over_the_years(client, manager, reported, round_):
    client.cookies["django_language"] = "en"
    client.force_login(manager)

    html = client.get(reverse("home")).content.decode()

    assert "Results over the years" in html
    table = html[html.index('id="results"') :]
    table = table[: table.index("</table>")]
    assert "Rapport 2030" in table and "Land use and transport" in table and "Energy in buildings" in table
    assert "40 %" in table and "100 %" in table
    assert reverse("results:round_list") in html


def test_before_any_report_the_dashboard_says_so(client, manager, reporting_round, round_):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    assert "No city has submitted a progress report yet." in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", ["contact_oslo", "partner"])
def test_who_does_not_read_every_review_sees_no_results_section(request, client, reported, round_, persona):
    client.cookies["django_language"] = "en"
    client.force_login(request.getfixturevalue(persona))
    assert dashboard.progress_by_theme(request.getfixturevalue(persona)) is None
    assert "Results over the years" not in client.get(reverse("home")).content.decode()


def test_the_status_report_has_the_results_by_theme_and_by_city(manager, reported, round_):
    text = "\n".join(
        page.extract_text()
        for page in read_pdf.reader(reports.render_status_report(manager, round_, language="en")).pages
    )

    section = text[text.rindex("Results over the years") :]
    assert "Progress by report and theme area" in section
    assert "Progress by city in Rapport 2030" in section
    assert "Oslo" in section and "Bergen" not in section.split("Progress by city")[1][:200]


def test_the_measures_export_has_the_results(client, manager, coordinator, reported, oslo_measures, round_):
    cycling = oslo_measures["Sykkelveier"]
    cycling.sector = "road_traffic"
    cycling.save()
    actionplans_services.assess_measure(cycling, effect=Decimal("250.0"), reason="Færre syklister", by=manager)
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("export", args=["measures", "csv"]), {"round": round_.slug})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = next(r for r in rows if r["Title"] == "Sykkelveier")
    assert (row["Emission sector"], row["Assessed effect (t CO₂e/yr)"]) == ("Road traffic", "250.0")
    assert (row["Latest progress"], row["Share done (%)"], row["Effect now (t CO₂e/yr)"]) == (
        "Under way",
        "40",
        "300.0",
    )
    bergen = next(r for r in rows if r["City"] == "Bergen")
    assert bergen["Latest progress"] == ""  # its report is a draft


def test_the_status_report_holds_claimed_and_assessed_against_the_baseline(manager, reported, oslo_measures, round_):
    cycling = oslo_measures["Sykkelveier"]
    actionplans_services.assess_measure(cycling, effect=Decimal("250.0"), reason="Færre syklister", by=manager)
    Emission.objects.create(city=cycling.programme.city, year=2028, sector="road_traffic", tonnes=Decimal("9000"))
    Emission.objects.create(city=cycling.programme.city, year=2029, sector="road_traffic", tonnes=Decimal("10000"))

    figures = effects.against_the_baseline(manager, round_)
    text = "\n".join(
        page.extract_text()
        for page in read_pdf.reader(reports.render_status_report(manager, round_, language="en")).pages
    )

    assert (figures["year"], figures["emissions"], figures["assessed"], figures["cities"]) == (
        2029,
        Decimal("10000.0"),
        Decimal("250.0"),
        1,
    )
    section = text[text.rindex("The total climate effect") :]
    assert "Claimed and assessed effect against the baseline" in section
    assert "Emissions in 2029" in section and "10,000.0" in section and "1 of" in section, section[:800]


def test_the_api_gives_each_measure_its_latest_progress(client, manager, reported, oslo_measures):
    client.force_login(manager)

    response = client.get("/api/v1/measures/", HTTP_ACCEPT="application/json")

    rows = {row["title"]: row for row in response.json()["results"]}
    cycling = rows["Sykkelveier"]
    assert (cycling["progress_status"], cycling["progress_share_done"], cycling["progress_effect_now"]) == (
        "under_way",
        40,
        300.0,
    )
    bergen = next(row for row in rows.values() if row["city"] != cycling["city"])
    assert (bergen["progress_status"], bergen["progress_share_done"], bergen["progress_effect_now"]) == (None,) * 3
