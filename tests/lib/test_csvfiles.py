"""lib.csvfiles: the one writer of the portal's CSV files, in Excel's Norwegian dialect or the plain one."""

import csv
import datetime
import io
from decimal import Decimal

from django.http import QueryDict
from django.utils import translation

from actionplans.models import OSLO
from lib.csvfiles import EXCEL_NB, PLAIN, chosen_dialect, csv_cell, csv_response, default_dialect

MOMENT = datetime.datetime(2030, 1, 10, 13, 5, 9, tzinfo=datetime.UTC)  # 14:05:09 in Oslo


def rows(response, delimiter):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


def test_numbers_are_numbers_with_the_dialects_decimal_sign():
    assert csv_cell(Decimal("1234.5"), EXCEL_NB) == "1234,5"
    assert csv_cell(Decimal("-5.0"), EXCEL_NB) == "-5,0"
    assert csv_cell(Decimal("2500000"), EXCEL_NB) == "2500000"  # no thousands separator, no thin spaces
    assert csv_cell(0.25, EXCEL_NB) == "0,25"
    assert csv_cell(Decimal("1234.5"), PLAIN) == "1234.5"
    assert csv_cell(Decimal("-5.0"), PLAIN) == "-5.0"  # a number, not a formula to guard
    assert csv_cell(1201, EXCEL_NB) == csv_cell(1201, PLAIN) == "1201"


def test_dates_and_moments_in_oslo_time_as_each_dialect_writes_them():
    assert csv_cell(datetime.date(2030, 1, 15), EXCEL_NB) == "15.01.2030"
    assert csv_cell(MOMENT, EXCEL_NB) == "10.01.2030 14:05"
    assert csv_cell(MOMENT, EXCEL_NB, seconds=True) == "10.01.2030 14:05:09"
    assert csv_cell(datetime.date(2030, 1, 15), PLAIN) == "2030-01-15"
    assert csv_cell(MOMENT, PLAIN) == "2030-01-10 14:05"
    assert csv_cell(MOMENT.astimezone(OSLO), PLAIN, seconds=True) == "2030-01-10 14:05:09"


def test_text_that_would_run_as_a_formula_gets_a_quote():
    for text in ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx"]:
        assert csv_cell(text, EXCEL_NB) == "'" + text
    assert csv_cell("Maks 0,5 plasser; per bolig", EXCEL_NB) == "Maks 0,5 plasser; per bolig"
    assert csv_cell(None, EXCEL_NB) == ""


def test_the_language_chooses_the_dialect_unless_asked():
    assert default_dialect("nb") is EXCEL_NB
    assert default_dialect("en") is PLAIN
    with translation.override("nb"):
        assert chosen_dialect(QueryDict("")) is EXCEL_NB
        assert chosen_dialect(QueryDict("dialect=plain")) is PLAIN
    with translation.override("en"):
        assert chosen_dialect(QueryDict("")) is PLAIN
        assert chosen_dialect(QueryDict("dialect=excel-nb")) is EXCEL_NB
    assert chosen_dialect(QueryDict("dialect=tsv")) is None


def test_a_norwegian_file_opens_in_excel_by_a_double_click():
    with translation.override("nb"):
        response = csv_response(
            QueryDict(""), "x.csv", ["Tiltak", "Effekt"], [["Bybane; andre byggetrinn", Decimal("9500.0")]]
        )

    assert response.content.startswith("\ufeff".encode())  # UTF-8 with a byte order mark
    assert response.content.decode("utf-8-sig").splitlines(keepends=True)[0] == "Tiltak;Effekt\r\n"
    assert rows(response, ";") == [["Tiltak", "Effekt"], ["Bybane; andre byggetrinn", "9500,0"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Cache-Control"] == "private, no-store"


def test_the_plain_file_is_comma_separated_with_a_decimal_point():
    with translation.override("nb"):
        response = csv_response(QueryDict("dialect=plain"), "x.csv", ["A", "B"], [["1,5", Decimal("1.5")]])

    assert response.content.startswith("\ufeff".encode())
    assert response.content.decode("utf-8-sig") == 'A,B\r\n"1,5",1.5\r\n'


def test_an_unknown_dialect_says_which_there_are():
    with translation.override("en"):
        response = csv_response(QueryDict("dialect=<b>"), "x.csv", ["A"], [])

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "The export was not made: the CSV format “<b>” is unknown; choose excel-nb / plain."
    )
