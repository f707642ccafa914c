"""The formats of the exports: CSV that Norwegian Excel opens by a double-click (`;`, decimal
comma, dd.mm.yyyy, a byte order mark) and the plain one (`,`, decimal point, ISO dates), with a
choice on each page; XLSX with fitted columns, an autofilter, a frozen header and number formats;
and one export of the registrations (the invitation list's CSV and XLSX are the same table)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from accounts.models import SecurityEvent
from actionplans import services
from actionplans.models import OSLO
from agreements.models import Agreement
from meetings.models import Invitation
from meetings.services import create_meeting
from tests import factories
from tests.conftest import upload

LONG = "Utbygging av kollektivknutepunkt med innfartsparkering for sykkel og bil ved alle stasjoner på linjen"


def get(client, user, table, fmt="csv", language="nb", **params):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("export", args=[table, fmt]), params)


def csv_text(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return content.decode("utf-8-sig")


def csv_rows(response, delimiter):
    return list(csv.reader(io.StringIO(csv_text(response)), delimiter=delimiter))


def sheet_of(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def column(sheet, header):
    """The cells below `header`."""
    index = [cell.value for cell in sheet[1]].index(header) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index)]


@pytest.fixture
def measures(round_, oslo_programme, contact_oslo, bergen_submitted, contact_bergen, atp):
    upload(oslo_programme, contact_oslo)
    factories.MeasureFactory(
        programme=oslo_programme,
        theme_area=atp,
        title="Parkeringsnorm",
        expected_effect=Decimal("1234.5"),
        cost_estimate=Decimal("2500000"),
    )
    factories.MeasureFactory(
        programme=oslo_programme, theme_area=atp, title=LONG, expected_effect=None, cost_estimate=None
    )
    services.reopen_programme(bergen_submitted, by=contact_bergen, comment="")
    factories.MeasureFactory(programme=bergen_submitted, theme_area=atp, title="Bybane", expected_effect=Decimal("-5"))
    moment = datetime.datetime(2030, 1, 10, 14, 5, tzinfo=OSLO)
    return services.submit_programme(bergen_submitted, by=contact_bergen, now=moment)


# CSV


def test_norwegian_csv_has_semicolons_and_decimal_commas(client, manager, measures):
    rows = csv_rows(get(client, manager, "measures", status="draft"), ";")

    effect = rows[0].index("Forventet effekt (tonn CO₂e/år)")
    cost = rows[0].index("Kostnadsanslag (kr)")
    parking = next(row for row in rows if row[4] == "Parkeringsnorm")
    assert (parking[effect], parking[cost]) == ("1234,5", "2500000")
    assert len({len(row) for row in rows}) == 1  # every row split by the semicolons alike


def test_norwegian_csv_writes_dates_as_norwegians_do(client, manager, measures):
    rows = csv_rows(get(client, manager, "programmes"), ";")

    bergen = next(row for row in rows if row[0] == "Bergen")
    assert bergen[5] == "15.01.2030"
    assert bergen[7] == "10.01.2030 14:05"


def test_english_csv_keeps_commas_points_and_iso_dates(client, manager, measures):
    effects = csv_rows(get(client, manager, "measures", language="en", status="submitted"), ",")
    programmes = csv_rows(get(client, manager, "programmes", language="en"), ",")

    assert effects[0][7] == "Expected effect (t CO₂e/yr)"
    assert effects[1][7] == "-5.0"
    bergen = next(row for row in programmes if row[0] == "Bergen")
    assert (bergen[5], bergen[7], bergen[12]) == ("2030-01-15", "2030-01-10 14:05", "-5.0")


def test_the_other_format_on_request(client, manager, measures):
    plain = csv_text(get(client, manager, "measures", language="nb", status="submitted", dialect="plain"))
    excel = csv_text(get(client, manager, "measures", language="en", status="submitted", dialect="excel-nb"))

    # Expected effect, assessed effect, sector, cost, state cooperation, candidate, carried over, progress.
    assert ",-5.0,,,1000000,Nei,,,,," in plain.splitlines()[1]
    assert ";-5,0;;;1000000;No;;;;;" in excel.splitlines()[1]


@pytest.mark.parametrize("table", ["programmes", "measures", "reviews", "agreements", "registrations"])
def test_every_table_in_either_format(client, manager, measures, registrations, table):
    params = {"meeting": registrations.pk} if table == "registrations" else {}

    plain = csv_text(get(client, manager, table, dialect="plain", **params))
    excel = csv_text(get(client, manager, table, language="en", dialect="excel-nb", **params))

    assert plain.splitlines()[0].count(",") == excel.splitlines()[0].count(";") > 0


def test_an_unknown_format_is_refused_with_a_reason(client, manager, measures):
    response = get(client, manager, "measures", language="en", dialect="excel-se")

    assert response.status_code == 400
    assert "choose excel-nb / plain" in response.content.decode()


@pytest.mark.parametrize(("language", "first", "second"), [("nb", "excel-nb", "plain"), ("en", "plain", "excel-nb")])
def test_the_pages_offer_both_formats_their_languages_first(client, manager, measures, language, first, second):
    client.force_login(manager)
    client.cookies["django_language"] = language
    pages = {
        reverse("actionplans:programme_list") + "?status=draft": "/exports/programmes.csv?status=draft&amp;dialect=",
        reverse("actionplans:review_grid"): "/exports/reviews.csv?dialect=",
        reverse("agreements:pipeline"): "/exports/agreements.csv?dialect=",
        reverse("people:list") + "?q=kontakt": reverse("people:export") + "?q=kontakt&amp;dialect=",
        reverse("accounts:security_log"): reverse("accounts:security_log_csv") + "?dialect=",
    }
    for url, link in pages.items():
        page = client.get(url).content.decode()
        assert page.index(f'href="{link}{first}"') < page.index(f'href="{link}{second}"'), url


def test_people_and_the_security_log_in_norwegian(client, manager, contact_oslo):
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN, user=contact_oslo, username="kontakt-oslo")
    client.force_login(manager)

    people = csv_rows(client.get(reverse("people:export")), ";")
    log = csv_rows(client.get(reverse("accounts:security_log_csv")), ";")
    plain_log = csv_rows(client.get(reverse("accounts:security_log_csv"), {"dialect": "plain"}), ",")

    assert "kontakt-oslo" in [row[1] for row in people]
    login = next(row for row in log if row[3] == "kontakt-oslo")
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", login[0])
    plain_login = next(row for row in plain_log if row[3] == "kontakt-oslo")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", plain_login[0])


# XLSX


def test_xlsx_has_a_frozen_filtered_header_and_fitted_columns(client, manager, measures):
    sheet = sheet_of(get(client, manager, "measures", "xlsx", language="en"))

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{sheet.max_row}"  # the 17 columns
    assert all(cell.font.b for cell in sheet[1])
    widths = {
        sheet.cell(row=1, column=i).value: sheet.column_dimensions[get_column_letter(i)].width
        for i in range(1, sheet.max_column + 1)
    }
    assert all(8 <= width <= 60 for width in widths.values())
    assert widths["Title"] == 60  # the long title, bounded
    assert widths["City"] < 15
    assert widths["Expected effect (t CO₂e/yr)"] >= len("Expected effect (t CO₂e/yr)")


def test_xlsx_number_formats_for_tonnes_and_kroner(client, manager, measures):
    sheet = sheet_of(get(client, manager, "measures", "xlsx", language="en"))

    effects, costs = column(sheet, "Expected effect (t CO₂e/yr)"), column(sheet, "Cost estimate (NOK)")
    assert {cell.number_format for cell in effects if cell.value is not None} == {"#,##0.0"}
    assert {cell.number_format for cell in costs if cell.value is not None} == {"#,##0"}
    assert {cell.data_type for cell in effects + costs if cell.value is not None} == {"n"}


@pytest.mark.parametrize(
    ("language", "date", "moment"), [("nb", "DD.MM.YYYY", "DD.MM.YYYY HH:MM"), ("en", "YYYY-MM-DD", "YYYY-MM-DD HH:MM")]
)
def test_xlsx_dates_are_dates_with_a_date_format(client, manager, measures, language, date, moment):
    sheet = sheet_of(get(client, manager, "programmes", "xlsx", language=language))
    bergen = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Bergen")

    assert bergen[5].is_date and bergen[5].number_format == date
    assert bergen[7].is_date and bergen[7].number_format == moment
    assert bergen[7].value == datetime.datetime(2030, 1, 10, 14, 5)
    assert bergen[12].number_format == "#,##0.0"


def test_xlsx_agreement_values_in_whole_kroner(client, manager):
    Agreement.objects.create(
        title="Belønningsordning",
        kind="long_term_economic",
        value=Decimal("300000000"),
        signed_date=datetime.date(2009, 5, 19),
        created_by=manager,
    )

    sheet = sheet_of(get(client, manager, "agreements", "xlsx", language="en"))

    (value,) = column(sheet, "Value (NOK)")
    (signed,) = column(sheet, "Signed")
    assert (value.value, value.number_format) == (300000000, "#,##0")
    assert signed.is_date and signed.number_format == "YYYY-MM-DD"


# The registrations: one export


@pytest.fixture
def registrations(manager, contact_oslo, partner):
    start = datetime.datetime(2030, 3, 4, 10, tzinfo=OSLO)
    meeting = create_meeting(by=manager, kind="network_gathering", title="Samling", starts_at=start, ends_at=start)
    Invitation.objects.create(
        meeting=meeting,
        user=contact_oslo,
        response="attending",
        responded_at=datetime.datetime(2030, 2, 1, 9, 30, tzinfo=OSLO),
        attended=True,
    )
    Invitation.objects.create(meeting=meeting, user=partner)
    return meeting


def test_the_registrations_have_one_export(client, manager, registrations):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("meetings:invitation_list", args=[registrations.pk])).content.decode()

    with pytest.raises(NoReverseMatch):
        reverse("meetings:invitation_export", args=[registrations.pk])
    assert "invitations.csv" not in page
    assert f"/exports/registrations.xlsx?meeting={registrations.pk}" in page
    assert f"/exports/registrations.csv?meeting={registrations.pk}&amp;dialect=plain" in page


def test_the_registrations_csv_and_xlsx_hold_the_same(client, manager, registrations):
    in_csv = csv_rows(get(client, manager, "registrations", language="en", meeting=registrations.pk), ",")
    sheet = sheet_of(get(client, manager, "registrations", "xlsx", language="en", meeting=registrations.pk))

    def as_csv(value):
        if isinstance(value, datetime.datetime):
            return f"{value:%Y-%m-%d %H:%M}"
        return "" if value is None else str(value)

    assert [[as_csv(v) for v in row] for row in sheet.iter_rows(values_only=True)] == in_csv
    assert in_csv[1][1::4] == ["kontakt-oslo", "2030-02-01 09:30"]
