"""Exports as CSV and XLSX: read back and compared with the database, with the
pages' filters and permissions, safe to open in a spreadsheet."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actionplans import services
from actionplans.models import OSLO, Measure
from agreements import services as agreement_services
from agreements.models import Agreement
from cities.models import Organisation
from meetings.models import Invitation
from meetings.services import create_meeting
from tests import factories
from tests.conftest import upload
from tests.reporting.measures import MEASURE_HEADERS, measure_row

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(client, user, table, fmt="csv", **params):
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.get(reverse("export", args=[table, fmt]), params)


def read_csv(response, delimiter=","):
    """The rows of a CSV download; English gives the plain dialect (`,`, ISO dates), with a byte order mark."""
    assert response.status_code == 200
    assert response["Content-Type"] == CSV_TYPE
    assert response.streaming
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def read_xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# Programmes

PROGRAMME_HEADERS = [
    "City",
    "Municipality number",
    "County",
    "Round",
    "Status",
    "Deadline",
    "Extended deadline",
    "Submitted at",
    "Submitted version",
    "Extension requested",
    "Versions",
    "Measures",
    "Expected effect (t CO₂e/yr)",
]


def test_programmes_csv_matches_the_database(client, world, manager):
    oslo, bergen = world["oslo"], world["bergen"]

    rows = read_csv(export(client, manager, "programmes", round=oslo.round.slug))

    assert rows == [
        PROGRAMME_HEADERS,
        [
            "Bergen",
            "1201",
            bergen.city.county.name,
            "Handlingsprogram 2030",
            "Submitted on time",
            "2030-01-15",
            "",
            "2030-01-10 14:05",
            str(bergen.submitted_draft.number),
            "No",
            str(bergen.drafts.count()),
            "1",
            "-5.0",
        ],
        [
            "Oslo",
            "0301",
            oslo.city.county.name,
            "Handlingsprogram 2030",
            "Draft",
            "2030-01-15",
            "",
            "",
            "",
            "No",
            "1",
            "2",
            "1234.5",
        ],
    ]


def test_programmes_xlsx_has_real_dates_and_numbers(client, world, manager):
    oslo, bergen = world["oslo"], world["bergen"]
    oslo.extended_due_date = datetime.date(2030, 2, 1)
    oslo.save(update_fields=["extended_due_date"])

    rows = read_xlsx(export(client, manager, "programmes", "xlsx"))

    assert rows == [
        PROGRAMME_HEADERS,
        [
            "Bergen",
            "1201",
            bergen.city.county.name,
            "Handlingsprogram 2030",
            "Submitted on time",
            datetime.datetime(2030, 1, 15),
            None,
            datetime.datetime(2030, 1, 10, 14, 5),
            bergen.submitted_draft.number,
            "No",
            bergen.drafts.count(),
            1,
            -5,
        ],
        [
            "Oslo",
            "0301",
            oslo.city.county.name,
            "Handlingsprogram 2030",
            "Draft",
            datetime.datetime(2030, 2, 1),
            datetime.datetime(2030, 2, 1),
            None,
            None,
            "No",
            1,
            2,
            1234.5,
        ],
    ]


def test_programmes_filtered_by_status_and_round(client, world, manager):
    other_round = factories.RoundFactory(name="Handlingsprogram 2031", slug="handlingsprogram-2031")
    factories.ProgrammeFactory(round=other_round, city=world["oslo"].city)

    submitted = read_csv(export(client, manager, "programmes", status="submitted_on_time"))
    other = read_csv(export(client, manager, "programmes", round="handlingsprogram-2031"))

    assert [row[0] for row in submitted[1:]] == ["Bergen"]
    assert [(row[0], row[3]) for row in other[1:]] == [("Oslo", "Handlingsprogram 2031")]


def test_programmes_of_a_city_contact_are_its_own(client, world, contact_oslo, contact_bergen, outsider):
    assert [row[0] for row in read_csv(export(client, contact_oslo, "programmes"))[1:]] == ["Oslo"]
    assert [row[0] for row in read_xlsx(export(client, contact_bergen, "programmes", "xlsx"))[1:]] == ["Bergen"]
    assert read_csv(export(client, outsider, "programmes"))[1:] == []


def test_programmes_of_a_reader_are_the_submitted_ones(client, world, coordinator, partner):
    for user in [coordinator, partner]:
        assert [row[0] for row in read_csv(export(client, user, "programmes"))[1:]] == ["Bergen"]


# Measures


def test_measures_xlsx_matches_the_database(client, world, manager):
    rows = read_xlsx(export(client, manager, "measures", "xlsx"))

    assert rows == [
        MEASURE_HEADERS,
        measure_row(
            "Bergen",
            "Submitted on time",
            "Land use and transport",
            None,
            "Bybane",
            None,
            "Planned",
            -5,
            1000000,
            "No",
            None,
        ),
        measure_row(
            "Oslo",
            "Draft",
            "Land use and transport",
            None,
            "Parkeringsnorm",
            None,
            "Ongoing",
            1234.5,
            2500000,
            "Yes",
            None,
        ),
        measure_row("Oslo", "Draft", "Energy in buildings", None, "Passivhus", None, "Planned", None, None, "No", None),
    ]


def test_measures_csv_filtered_by_theme_and_status(client, world, manager):
    measure = world["oslo_measures"][0]
    measure.candidate_kind = "pilot_project"
    measure.description = "Maks 0,5 plasser per bolig"
    measure.save()

    atp = read_csv(export(client, manager, "measures", theme="atp", status="draft"))

    assert atp == [
        MEASURE_HEADERS,
        measure_row(
            "Oslo",
            "Draft",
            "Land use and transport",
            "",
            "Parkeringsnorm",
            "Maks 0,5 plasser per bolig",
            "Ongoing",
            "1234.5",
            "2500000",
            "Yes",
            "Pilot project",
            blank="",
        ),
    ]


def test_measures_of_another_city_are_not_exported(client, world, contact_bergen, coordinator):
    assert [row[4] for row in read_csv(export(client, contact_bergen, "measures"))[1:]] == ["Bybane"]
    assert [row[4] for row in read_xlsx(export(client, coordinator, "measures", "xlsx"))[1:]] == ["Bybane"]


# CSV injection


def test_formulas_are_text_in_csv_and_xlsx(client, world, manager):
    titles = ['=HYPERLINK("http://x")', "+1+1", "-1+1", "@SUM(A1)"]
    Measure.objects.filter(programme=world["oslo"]).delete()
    for title in titles:
        factories.MeasureFactory(programme=world["oslo"], theme_area=world["oslo_measures"][0].theme_area, title=title)

    in_csv = read_csv(export(client, manager, "measures", status="draft"))
    response = export(client, manager, "measures", "xlsx", status="draft")
    sheet = load_workbook(io.BytesIO(response.content)).active

    assert sorted(row[4] for row in in_csv[1:]) == sorted("'" + title for title in titles)
    assert sorted(sheet.cell(row=r, column=5).value for r in range(2, 6)) == sorted(titles)
    assert {sheet.cell(row=r, column=5).data_type for r in range(2, 6)} == {"s"}


def test_negative_numbers_are_numbers_in_csv(client, world, manager):
    rows = read_csv(export(client, manager, "measures", status="submitted"))

    assert rows[1][7] == "-5.0"


# Reviews


def test_reviews_grid_of_submitted_programmes(client, world, manager, coordinator, atp):
    bergen = world["bergen"]
    review = services.review_for(bergen, atp)
    services.add_comment(review, measure=None, text="Bra", by=coordinator)
    services.update_review(review, assessment="", status="completed", by=coordinator)
    review.refresh_from_db()

    rows = read_csv(export(client, coordinator, "reviews"))
    completed = read_xlsx(export(client, manager, "reviews", "xlsx", status="completed"))

    local = timezone.localtime
    assert rows == [
        [
            "City",
            "Theme area",
            "Review status",
            "Comments",
            "Last changed",
            "Completed at",
            "Programme status",
            "Submitted at",
        ],
        [
            "Bergen",
            "Land use and transport",
            "Review completed",
            "1",
            f"{local(review.updated_at):%Y-%m-%d %H:%M}",
            f"{local(review.completed_at):%Y-%m-%d %H:%M}",
            "Submitted on time",
            "2030-01-10 14:05",
        ],
        ["Bergen", "Energy in buildings", "Not reviewed yet", "0", "", "", "Submitted on time", "2030-01-10 14:05"],
    ]
    assert [row[:4] for row in completed[1:]] == [["Bergen", "Land use and transport", "Review completed", 1]]


def test_reviews_filtered_by_theme(client, world, manager):
    rows = read_csv(export(client, manager, "reviews", theme="energy"))

    assert [row[:3] for row in rows[1:]] == [["Bergen", "Energy in buildings", "Not reviewed yet"]]


@pytest.mark.parametrize("persona", ["contact_oslo", "contact_bergen", "partner", "outsider"])
def test_reviews_only_for_reviewers(request, client, world, persona):
    assert export(client, request.getfixturevalue(persona), "reviews").status_code == 403


# Agreements


@pytest.fixture
def agreements(world, manager, atp, energy, partner):
    ks = Organisation.objects.get(short_name="KS")
    signed = Agreement.objects.create(
        title="Belønningsordning",
        kind="long_term_economic",
        status="signed",
        value=Decimal("300000000"),
        period_start=datetime.date(2009, 1, 1),
        period_end=datetime.date(2012, 12, 31),
        signed_date=datetime.date(2009, 5, 19),
        responsible=manager,
        created_by=manager,
    )
    signed.theme_areas.set([atp])
    agreement_services.set_parties(signed, cities=[world["bergen"].city], organisations=[ks])
    signed.measures.set(world["bergen"].measures.all())
    course = Agreement.objects.create(title="Passivhuskurs", kind="competence_building", created_by=manager)
    course.theme_areas.set([energy])
    agreement_services.set_parties(course, cities=[world["oslo"].city], organisations=[])
    return [signed, course]


AGREEMENT_HEADERS = [
    "Title",
    "Kind",
    "Status",
    "Theme areas",
    "Parties",
    "Responsible",
    "Value (NOK)",
    "Period from",
    "Period to",
    "Signed",
    "Measures",
]


def test_agreements_csv_and_xlsx_match_the_database(client, agreements, manager):
    in_csv = read_csv(export(client, manager, "agreements"))
    in_xlsx = read_xlsx(export(client, manager, "agreements", "xlsx"))

    assert in_csv == [
        AGREEMENT_HEADERS,
        [
            "Belønningsordning",
            "Long-term economic agreement",
            "Signed",
            "Land use and transport",
            "Bergen, KS",
            "departementet",
            "300000000",
            "2009-01-01",
            "2012-12-31",
            "2009-05-19",
            "1",
        ],
        ["Passivhuskurs", "Competence building", "Identified", "Energy in buildings", "Oslo", "", "", "", "", "", "0"],
    ]
    assert in_xlsx[1] == [
        "Belønningsordning",
        "Long-term economic agreement",
        "Signed",
        "Land use and transport",
        "Bergen, KS",
        "departementet",
        300000000,
        datetime.datetime(2009, 1, 1),
        datetime.datetime(2012, 12, 31),
        datetime.datetime(2009, 5, 19),
        1,
    ]


def test_agreements_filtered_by_kind_and_status(client, agreements, manager):
    def titles(**params):
        return [row[0] for row in read_csv(export(client, manager, "agreements", **params))[1:]]

    assert titles(kind="competence_building") == ["Passivhuskurs"]
    assert titles(status="signed") == ["Belønningsordning"]
    assert titles(status="signed", kind="competence_building") == []
    assert titles(theme="energy") == ["Passivhuskurs"]
    assert titles(city="bergen") == ["Belønningsordning"]


def test_agreements_as_far_as_each_may_read(client, agreements, contact_oslo, partner, coordinator, outsider):
    def titles(user):
        return [row[0] for row in read_csv(export(client, user, "agreements"))[1:]]

    assert titles(contact_oslo) == ["Passivhuskurs"]
    assert titles(partner) == ["Belønningsordning"]
    assert titles(coordinator) == ["Belønningsordning"]
    assert export(client, outsider, "agreements").status_code == 403


# Registrations


@pytest.fixture
def registrations(manager, contact_oslo, contact_bergen, partner):
    start = datetime.datetime(2030, 3, 4, 10, tzinfo=OSLO)
    meeting = create_meeting(
        by=manager,
        kind="network_gathering",
        title="Samling",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )
    contact_oslo.first_name, contact_oslo.last_name = "Kari", "Nordmann"
    contact_oslo.save()
    Invitation.objects.create(
        meeting=meeting,
        user=contact_oslo,
        response="attending",
        responded_at=datetime.datetime(2030, 2, 1, 9, 30, tzinfo=OSLO),
        attended=True,
    )
    Invitation.objects.create(meeting=meeting, user=partner)
    return meeting


def test_registrations_match_the_database(client, registrations, manager):
    headers = ["Name", "Username", "E-mail", "City or organisation", "Answer", "Answered at", "Attended"]

    in_csv = read_csv(export(client, manager, "registrations", meeting=registrations.pk))
    in_xlsx = read_xlsx(export(client, manager, "registrations", "xlsx", meeting=registrations.pk))

    assert in_csv == [
        headers,
        ["ks", "ks", "ks@example.org", "KS", "Not answered", "", ""],
        ["Kari Nordmann", "kontakt-oslo", "kontakt-oslo@example.org", "Oslo", "Attending", "2030-02-01 09:30", "Yes"],
    ]
    assert in_xlsx[2] == [
        "Kari Nordmann",
        "kontakt-oslo",
        "kontakt-oslo@example.org",
        "Oslo",
        "Attending",
        datetime.datetime(2030, 2, 1, 9, 30),
        "Yes",
    ]


def test_registrations_only_for_the_organisers(client, registrations, contact_oslo, contact_bergen, coordinator):
    # Invited: may see the meeting, not its registrations.
    assert export(client, contact_oslo, "registrations", meeting=registrations.pk).status_code == 403
    # Not invited: the meeting is hidden.
    for user in [contact_bergen, coordinator]:
        assert export(client, user, "registrations", meeting=registrations.pk).status_code == 404


def test_registrations_need_a_meeting(client, registrations, manager):
    assert export(client, manager, "registrations").status_code == 404
    assert export(client, manager, "registrations", meeting="x").status_code == 404
    assert export(client, manager, "registrations", meeting=registrations.pk + 1).status_code == 404


# The files


def test_file_names_and_headers(client, world, manager):
    response = export(client, manager, "programmes", "xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="programmes-handlingsprogram-2030.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    csv_response = export(client, manager, "agreements")
    assert csv_response["Content-Disposition"] == 'attachment; filename="agreements.csv"'


def test_unknown_table_or_format_is_not_found(client, world, manager):
    assert export(client, manager, "users").status_code == 404
    assert export(client, manager, "programmes", "pdf").status_code == 404


def test_anonymous_is_sent_to_log_in(client, world):
    url = reverse("export", args=["programmes", "csv"])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def add_cities(round_, n, *, by, theme):
    for _ in range(n):
        programme = factories.ProgrammeFactory(round=round_)
        factories.MeasureFactory.create_batch(2, programme=programme, theme_area=theme)
        upload(programme, by)
        services.submit_programme(programme, by=by)
        services.review_for(programme, theme)
        agreement = Agreement.objects.create(title="Avtale", kind="pilot_project", created_by=by)
        agreement.theme_areas.set([theme])
        agreement_services.set_parties(agreement, cities=[programme.city], organisations=[])


@pytest.mark.parametrize("table", ["programmes", "measures", "reviews", "agreements"])
def test_exports_cost_the_same_for_one_and_three_cities(client, round_, atp, manager, table):
    client.force_login(manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = export(client, None, table, "xlsx")
        assert response.status_code == 200
        return len(queries)

    add_cities(round_, 1, by=manager, theme=atp)
    one = count()
    add_cities(round_, 2, by=manager, theme=atp)
    three = count()

    assert one == three
    assert three < 20


def test_pages_link_to_their_exports_with_their_filters(client, world, registrations, manager):
    client.force_login(manager)
    pages = {
        reverse("actionplans:programme_list") + "?round=handlingsprogram-2030&status=submitted": [
            "/exports/programmes.csv?round=handlingsprogram-2030&amp;status=submitted",
            "/exports/measures.xlsx?round=handlingsprogram-2030&amp;status=submitted",
        ],
        reverse("actionplans:review_grid") + "?round=handlingsprogram-2030": [
            "/exports/reviews.xlsx?round=handlingsprogram-2030"
        ],
        reverse("actionplans:effect_totals"): [
            '/exports/measures.csv?dialect=excel-nb"',
            '/exports/measures.csv?dialect=plain"',
            '/exports/measures.xlsx"',
        ],
        reverse("agreements:pipeline") + "?kind=pilot_project": ["/exports/agreements.xlsx?kind=pilot_project"],
        reverse("meetings:invitation_list", args=[registrations.pk]): [
            f"/exports/registrations.xlsx?meeting={registrations.pk}",
            f"/exports/registrations.csv?meeting={registrations.pk}&amp;dialect=excel-nb",
            f"/exports/registrations.csv?meeting={registrations.pk}&amp;dialect=plain",
        ],
    }
    for url, links in pages.items():
        html = client.get(url).content.decode()
        for link in links:
            assert link in html, (url, link)
