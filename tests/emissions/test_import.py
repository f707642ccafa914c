"""Importing the statistics from XLSX and CSV: what is stored, what is skipped, what is refused."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from emissions.importer import ImportRefused, parse_tonnes, read_statistics, year_ranges
from emissions.models import Emission, EmissionImport
from emissions.storage import import_statistics
from tests.emissions.statistics import HEADER, row, write_csv, write_xlsx
from tests.files import make_pdf

pytestmark = pytest.mark.usefixtures("numbers")


@pytest.fixture(autouse=True)
def _english():
    """The problems' words in English (the column names are the statistics' own, in Norwegian)."""
    with translation.override("en"):
        yield


def stored():
    return {(e.city.slug, e.year, e.sector): e.tonnes for e in Emission.objects.select_related("city")}


def run(path, **kwargs):
    with open(path, "rb") as f:
        return import_statistics(f, path.name, **kwargs)


def refused(path):
    with pytest.raises(ImportRefused) as error:
        run(path)
    return [(p.row, p.column) for p in error.value.reading.problems], error.value.reading


ROWS = [
    row("0301", 2021, "Veitrafikk", 100.5, source="Personbiler", gas="Karbondioksid (CO2)"),
    row("0301", 2021, "Veitrafikk", 0.5, source="Personbiler", gas="Metan (CH4)"),
    row("0301", 2021, "Veitrafikk", 50, source="Tunge kjøretøy", gas="Karbondioksid (CO2)"),
    row("0301", 2021, "Oppvarming", 20, source="Husholdninger", gas="Karbondioksid (CO2)"),
    row("4601", 2021, "Sjøfart", 30.25, source="Passasjerskip", gas="Karbondioksid (CO2)"),
    row("3203", 2021, "Veitrafikk", 999, source="Personbiler", gas="Karbondioksid (CO2)"),  # Asker: not in it
]
EXPECTED = {
    ("oslo", 2021, "road_traffic"): Decimal("151.000"),
    ("oslo", 2021, "heating"): Decimal("20.000"),
    ("bergen", 2021, "shipping"): Decimal("30.250"),
}


def test_import_xlsx_sums_sources_and_gases(tmp_path, manager):
    reading, record = run(write_xlsx(tmp_path / "utslipp.xlsx", ROWS), by=manager)

    assert stored() == EXPECTED
    assert (record.file_name, record.years, record.rows_read, record.figures_stored, record.rows_skipped) == (
        "utslipp.xlsx",
        "2021",
        6,
        3,
        1,
    )
    assert (record.imported_by, record.cities) == (manager, 2)
    assert set(Emission.objects.values_list("source", flat=True)) == {record.pk}


@pytest.mark.parametrize(
    ("delimiter", "decimal", "bom"), [(";", ",", True), (";", ",", False), (",", ".", False), (",", ",", True)]
)
def test_import_csv_in_either_dialect(tmp_path, delimiter, decimal, bom):
    path = write_csv(tmp_path / "utslipp.csv", ROWS, delimiter=delimiter, decimal=decimal, bom=bom)

    reading, record = run(path)

    assert stored() == EXPECTED
    assert (record.imported_by, record.rows_read, record.rows_skipped) == (None, 6, 1)


def test_xlsx_with_title_rows_above_the_column_names(tmp_path):
    path = write_xlsx(tmp_path / "utslipp.xlsx", ROWS, title_rows=["Klimagassutslipp i kommuner", ""])

    run(path)

    assert stored() == EXPECTED


def test_reimport_replaces_the_year_of_the_cities_in_the_file(tmp_path):
    run(
        write_csv(
            tmp_path / "first.csv",
            [
                row("0301", 2020, "Veitrafikk", 10),
                row("0301", 2021, "Veitrafikk", 11),
                row("0301", 2021, "Jordbruk", 5),
                row("1201", 2021, "Veitrafikk", 7),
            ],
        )
    )

    run(write_csv(tmp_path / "second.csv", [row("0301", 2021, "Veitrafikk", 12)]))

    # Oslo's 2021 is the new file's (agriculture is gone with it); its 2020 and Bergen's 2021 stay.
    assert stored() == {
        ("oslo", 2020, "road_traffic"): Decimal("10.000"),
        ("oslo", 2021, "road_traffic"): Decimal("12.000"),
        ("bergen", 2021, "road_traffic"): Decimal("7.000"),
    }
    assert EmissionImport.objects.count() == 2


def test_old_and_new_numbers_land_on_the_city(tmp_path):
    rows = [
        row("1201", 2019, "Veitrafikk", 1),  # Bergen before 2020
        row("4601", 2020, "Veitrafikk", 2),  # Bergen since
        row("0219", 2019, "Veitrafikk", 3),  # Bærum before 2020
        row("3024", 2020, "Veitrafikk", 4),  # Bærum 2020–2023
        row("3201", 2024, "Veitrafikk", 5),  # Bærum since 2024
        row(301, 2024, "Veitrafikk", 6),  # Oslo, as Excel writes 0301 in a number column
    ]

    run(write_xlsx(tmp_path / "utslipp.xlsx", rows))

    assert stored() == {
        ("bergen", 2019, "road_traffic"): Decimal(1),
        ("bergen", 2020, "road_traffic"): Decimal(2),
        ("baerum", 2019, "road_traffic"): Decimal(3),
        ("baerum", 2020, "road_traffic"): Decimal(4),
        ("baerum", 2024, "road_traffic"): Decimal(5),
        ("oslo", 2024, "road_traffic"): Decimal(6),
    }


def test_three_digit_number_in_a_csv_is_read_with_its_zero(tmp_path):
    run(write_csv(tmp_path / "utslipp.csv", [row("301", 2021, "Veitrafikk", 6)]))

    assert stored() == {("oslo", 2021, "road_traffic"): Decimal(6)}


def test_total_of_the_gases_is_used_instead_of_the_single_gases(tmp_path):
    rows = [
        row("0301", 2021, "Oppvarming", 97, source="Husholdninger", gas="Karbondioksid (CO2)"),
        row("0301", 2021, "Oppvarming", 3, source="Husholdninger", gas="Metan (CH4)"),
        row("0301", 2021, "Oppvarming", 101, source="Husholdninger", gas="Klimagasser i alt"),
        # Another source of the sector, with single gases only: summed.
        row("0301", 2021, "Oppvarming", 10, source="Næring", gas="Karbondioksid (CO2)"),
        row("0301", 2021, "Oppvarming", 1, source="Næring", gas="Lystgass (N2O)"),
        # A total alone ("Totalt").
        row("0301", 2021, "Jordbruk", 40, source="Husdyr", gas="Totalt"),
    ]

    reading, _record = run(write_csv(tmp_path / "utslipp.csv", rows))

    assert stored() == {
        ("oslo", 2021, "heating"): Decimal(112),
        ("oslo", 2021, "agriculture"): Decimal(40),
    }
    assert reading.rows_superseded == 2


def test_negative_figures_are_stored_and_counted(tmp_path):
    reading, _record = run(write_csv(tmp_path / "utslipp.csv", [row("0301", 2021, "Energiforsyning", -12.5)]))

    assert stored() == {("oslo", 2021, "energy_supply"): Decimal("-12.5")}
    assert reading.negatives == 1


def test_dry_run_stores_nothing(tmp_path):
    reading, record = run(write_csv(tmp_path / "utslipp.csv", ROWS), dry_run=True)

    assert record is None
    assert len(reading.figures) == 3
    assert (Emission.objects.count(), EmissionImport.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        (row("03x1"), "Kommunenummer"),
        (row("12345"), "Kommunenummer"),
        (row(""), "Kommunenummer"),
        (row(year=1989), "År"),
        (row(year=2101), "År"),
        (row(year="i fjor"), "År"),
        (row(sector="Skogbruk"), "Sektor"),
        (row(tonnes=""), "Utslipp (tonn CO2-ekvivalenter)"),
        (row(tonnes="mye"), "Utslipp (tonn CO2-ekvivalenter)"),
        (row(tonnes="1e12"), "Utslipp (tonn CO2-ekvivalenter)"),
        (row(gas=""), "Klimagass"),
    ],
)
@pytest.mark.parametrize("write", [write_csv, write_xlsx])
def test_one_bad_row_stores_nothing(tmp_path, bad, column, write):
    path = write(
        tmp_path / ("utslipp.csv" if write is write_csv else "utslipp.xlsx"),
        [*ROWS, bad, row("0301", 2021, "Jordbruk", 1)],
    )

    problems, _reading = refused(path)

    assert problems == [(8, column)]  # the column names are row 1, the bad row the seventh under them
    assert (Emission.objects.count(), EmissionImport.objects.count()) == (0, 0)


def test_bad_rows_of_municipalities_outside_the_programme_also_refuse_the_file(tmp_path):
    problems, _reading = refused(write_csv(tmp_path / "utslipp.csv", [row("3203", tonnes="")]))

    assert problems == [(2, "Utslipp (tonn CO2-ekvivalenter)")]


def test_every_bad_row_is_listed(tmp_path):
    problems, _reading = refused(
        write_csv(tmp_path / "utslipp.csv", [row(year=1800), ROWS[0], row(sector="?", tonnes="x")])
    )

    assert problems == [(2, "År"), (4, "Sektor"), (4, "Utslipp (tonn CO2-ekvivalenter)")]


def test_problem_says_what_is_wrong(tmp_path):
    _problems, reading = refused(write_csv(tmp_path / "utslipp.csv", [row(sector="Skogbruk")]))

    assert reading.problems[0].message.startswith("«Skogbruk» is not one of the nine sectors of the statistics (")


def test_missing_column(tmp_path):
    header = [name for name in HEADER if name != "Sektor"]
    rows = [[v for i, v in enumerate(r) if HEADER[i] != "Sektor"] for r in ROWS]

    problems, _reading = refused(write_csv(tmp_path / "utslipp.csv", rows, header=header))

    assert problems == [(1, "Sektor")]
    assert Emission.objects.count() == 0


def test_the_same_figure_twice_is_refused(tmp_path):
    problems, _reading = refused(write_csv(tmp_path / "utslipp.csv", [ROWS[0], ROWS[1], ROWS[0]]))

    assert problems == [(4, "Klimagass")]


def test_a_city_under_two_numbers_in_one_year_is_refused(tmp_path):
    problems, _reading = refused(
        write_csv(tmp_path / "utslipp.csv", [row("1201", 2020, "Veitrafikk", 1), row("4601", 2020, "Sjøfart", 2)])
    )

    assert problems == [(3, "Kommunenummer")]


def test_file_with_only_column_names(tmp_path):
    problems, _reading = refused(write_csv(tmp_path / "utslipp.csv", []))

    assert problems == [(None, "file")]


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        make_pdf(),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # an old XLS
        _zip({"readme.txt": "hei"}),  # a zip, not a workbook
        b"PK\x03\x04 broken",
        b"",
        "Kommunenummer;År\n0301;2021\n".encode("utf-16"),  # not UTF-8
        "Kommunenummer;År\n0301;2021\n".encode("latin-1") + "Sjøfart".encode("latin-1"),
    ],
    ids=["pdf", "png", "xls", "zip", "broken-zip", "empty", "utf-16", "latin-1"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path, content):
    path = tmp_path / "utslipp.csv"
    path.write_bytes(content)

    problems, reading = refused(path)

    assert [column for _row, column in problems] == ["file"]
    assert (Emission.objects.count(), EmissionImport.objects.count()) == (0, 0)


def test_read_statistics_never_raises_on_bad_input(tmp_path):
    reading = read_statistics(io.BytesIO(b"\x00\x01\x02"), "x.csv")

    assert not reading.ok


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234,5", "1234.5"),
        ("1234.5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("-0,25", "-0.25"),
        ("\u22120,25", "-0.25"),
        ("1e3", "1000"),
        (12.5, "12.5"),
        (7, "7"),
    ],
)
def test_parse_tonnes(text, value):
    assert parse_tonnes(text) == Decimal(value)


def test_year_ranges():
    assert year_ranges([2023, 2019, 2020, 2021]) == "2019–2021, 2023"


def test_command_imports_and_reports(tmp_path, capsys):
    path = write_csv(tmp_path / "utslipp.csv", ROWS)

    call_command("import_emissions", str(path))

    assert stored() == EXPECTED
    assert EmissionImport.objects.get().imported_by is None


def test_command_dry_run(tmp_path):
    call_command("import_emissions", str(write_csv(tmp_path / "utslipp.csv", ROWS)), "--dry-run")

    assert (Emission.objects.count(), EmissionImport.objects.count()) == (0, 0)


def test_command_refuses_a_bad_file_and_lists_the_rows(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_emissions", str(write_csv(tmp_path / "u.csv", [row(year=1800)])), stderr=err)

    assert "År" in err.getvalue()
    assert Emission.objects.count() == 0


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_emissions", str(tmp_path / "none.csv"))


def test_the_committed_sample_imports(settings):
    from pathlib import Path

    sample = Path(settings.BASE_DIR) / "emissions" / "sample" / "klimagassutslipp-sample.csv"

    reading, record = run(sample)

    assert (record.rows_skipped, record.cities, record.years) == (24, 3, "2021–2022")
    assert reading.rows_superseded == 12  # heating's single gases, of each city and year
