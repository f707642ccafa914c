"""Importing Miljødirektoratet's municipal greenhouse-gas statistics ("Klimagassutslipp i kommuner").

The file is the spreadsheet (XLSX) the statistics are downloaded as, or a CSV of it: `;` or `,`
between the fields (whichever the row of column names has more of), UTF-8 with or without a byte
order mark. Its columns, found by name in the first row that names them (within the first ten
rows of the first sheet that has them; case, spacing and "CO₂"/"CO2" do not matter; other columns
are left alone):

    Fylke · Kommunenummer · Kommune · År · Sektor · Utslippskilde · Klimagass ·
    Utslipp (tonn CO2-ekvivalenter)

What a row must be (else it is reported with its row number, the column and what is wrong):

- Kommunenummer: four digits; three are read as 0xxx (Excel drops the leading zero of 0301). Any
  number a city of the programme has had names it (`emissions.numbers`), whatever the row's year;
  a row of a municipality outside the programme is skipped and counted, not an error.
- År: a year from 1990 to 2100.
- Sektor: one of the statistics' nine sectors, by its published Norwegian name
  (`cities.sectors.PUBLISHED_NAMES`; case does not matter).
- Klimagass: the gas, not empty. Utslippskilde (the source) may be empty.
- Utslipp: tonnes CO₂-equivalents, not empty, with a decimal comma or point and spaces as
  thousands separators if any. A negative figure is a sink (forests, soil): allowed, and stored as
  it is; the import says how many there were.

No double counting. A figure is stored per city, year and sector: the sum over the rows' sources
and gases. If a file has, for one municipality, year, sector and source, a row whose Klimagass is a
total ("Klimagasser i alt", "Totalt", "I alt", "Alle", "Sum", …: TOTAL_GASES) beside rows of
single gases, the total is used and the single gases are not counted (the import says how many).
The same municipality, year, sector, source and gas twice, or one city's year under two of its
numbers, is an error: one of them would count twice.

Never half-imported: one bad row, and nothing is stored; the problems are listed (the first
MAX_PROBLEMS, and how many more). Importing a year again replaces what is stored for that year of
the cities in the file, every sector; other years and cities keep theirs. Storing is `emissions.storage`'s.
"""

import csv
import io
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cities.sectors import PUBLISHED_NAMES, EmissionSector
from emissions.files import DAMAGED, XLSX, inspect_statistics_file
from emissions.models import FIRST_YEAR, LAST_YEAR, MAX_TONNES
from emissions.numbers import cities_by_number, normalise

MAX_PROBLEMS = 50
HEADER_ROWS = 10  # how far down a sheet the row of column names may be

# Column key → its name in the statistics.
COLUMNS = {
    "county": "Fylke",
    "number": "Kommunenummer",
    "municipality": "Kommune",
    "year": "År",
    "sector": "Sektor",
    "source": "Utslippskilde",
    "gas": "Klimagass",
    "tonnes": "Utslipp (tonn CO2-ekvivalenter)",
}
REQUIRED = ("number", "year", "sector", "source", "gas", "tonnes")  # Fylke and Kommune are not read

TOTAL_GASES = frozenset(
    ["klimagasser i alt", "alle klimagasser", "klimagasser totalt", "totalt", "total", "i alt", "alle", "sum"]
)
_SECTORS = {name.casefold(): str(code.value) for name, code in PUBLISHED_NAMES.items()}
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def _name(value):
    """A column name or a category as compared: no case, single spaces, CO₂ as CO2."""
    return _SPACES.sub(" ", str(value or "")).strip().casefold().replace("₂", "2")


def _column_key(header):
    name = _name(header)
    for key, published in COLUMNS.items():
        if name == _name(published):
            return key
    # "Utslipp (tonn CO₂-ekv.)" and the like, in other releases.
    if name.startswith("utslipp") and name != "utslippskilde":
        return "tonnes"
    return None


@dataclass(frozen=True)
class Problem:
    row: int | None  # as the spreadsheet numbers it (the row of column names is usually 1)
    column: str
    message: str

    def __str__(self):
        where = _("row %(row)s") % {"row": self.row} if self.row else _("the file")
        return f"{where}, {self.column}: {self.message}"


@dataclass
class Reading:
    """What a file holds, read and checked; nothing is stored yet."""

    file_name: str
    rows_read: int = 0
    rows_skipped: int = 0  # of municipalities outside the programme
    rows_superseded: int = 0  # single gases whose total the file also has
    negatives: int = 0
    figures: dict = field(default_factory=dict)  # (city, year, sector code) → tonnes
    problems: list = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self):
        return not self.problems

    @property
    def years(self):
        return sorted({year for _city, year, _sector in self.figures})

    @property
    def cities(self):
        return sorted({city for city, _year, _sector in self.figures}, key=lambda c: c.name)

    def problem(self, row, column, message):
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))
        else:
            self.more_problems += 1


class ImportRefused(Exception):
    """The file could not be imported; `reading.problems` say why. Nothing was stored."""

    def __init__(self, reading):
        super().__init__("; ".join(str(p) for p in reading.problems))
        self.reading = reading


def year_ranges(years):
    """2019, 2020, 2021, 2023 → "2019–2021, 2023"."""
    parts, years = [], sorted(years)
    start = previous = None
    for year in [*years, None]:
        if start is not None and year == previous + 1:
            previous = year
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = year
    return ", ".join(parts)


# Reading the rows of the file --------------------------------------------------------------------


class UnreadableWorkbook(Exception):
    """openpyxl could not read the workbook (it raises many kinds of errors on a damaged one)."""


def _xlsx_rows(f):
    """(row number, values) of the first sheet that has the column names."""
    from openpyxl import load_workbook  # only an import needs it

    try:
        workbook = load_workbook(getattr(f, "file", f), read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableWorkbook from error
    try:
        chosen = None
        for sheet in workbook.worksheets:
            head = list(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True))
            if any(_column_key(value) == "number" for row in head for value in row or ()):
                chosen = sheet
                break
        sheet = chosen or (workbook.worksheets[0] if workbook.worksheets else None)
        if sheet is not None:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except Exception as error:
        raise UnreadableWorkbook from error
    finally:
        workbook.close()


def _csv_rows(f):
    """(row number, values) of a CSV file; UnicodeDecodeError if it is not UTF-8."""
    text = io.TextIOWrapper(getattr(f, "file", f), encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        delimiter = max([";", ",", "\t"], key=first.count)
        lines = itertools.chain([first], text)
        yield from enumerate(csv.reader(lines, delimiter=delimiter), start=1)
    finally:
        text.detach()  # leave `f` open: its owner closes it


def _blank(values):
    return all(value is None or str(value).strip() == "" for value in values)


# Reading the values of a row ---------------------------------------------------------------------


def parse_tonnes(value):
    """A number as the statistics or a spreadsheet write it, as a Decimal; ValueError if it is none."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = _SPACES.sub("", str(value)).replace("\u2212", "-")  # the typographic minus
        if "," in text and "." in text:  # the later of the two is the decimal sign
            thousands = "." if text.rfind(",") > text.rfind(".") else ","
            text = text.replace(thousands, "")
        if text.count(",") > 1 or text.count(".") > 1:  # 1,234,567 or 1.234.567: thousands only
            text = text.replace(",", "").replace(".", "")
        text = text.replace(",", ".")
        if not _NUMBER.match(text):
            raise ValueError
        number = Decimal(text)
    try:
        if not number.is_finite():
            raise ValueError
        return number.quantize(Decimal("0.001"))
    except InvalidOperation as error:
        raise ValueError from error


def parse_year(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not (text.isascii() and text.isdigit()):
        raise ValueError
    return int(text)


def _text(value):
    return "" if value is None else _SPACES.sub(" ", str(value)).strip()


# The whole file ----------------------------------------------------------------------------------


def read_statistics(f, file_name, *, max_size=None, kind=None):
    """Read and check the statistics in `f` (a binary file object). Stores nothing; the reading's
    `problems` say what is wrong, if anything. `kind` is what `inspect_statistics_file` found, if
    the caller checked the file already."""
    reading = Reading(file_name=file_name)
    if kind is None:
        try:
            kind = inspect_statistics_file(f, max_size=max_size)
        except ValidationError as error:
            for message in error.messages:
                reading.problem(None, _("file"), message)
            return reading
    rows = _xlsx_rows(f) if kind == XLSX else _csv_rows(f)
    try:
        _read_rows(reading, rows)
    except UnreadableWorkbook:
        reading.problem(None, _("file"), str(DAMAGED))
    except UnicodeDecodeError:
        reading.problem(
            None,
            _("file"),
            _("The CSV file is not in UTF-8. Save it as «CSV UTF-8» (Excel) or with the encoding UTF-8."),
        )
    except csv.Error as error:
        reading.problem(None, _("file"), _("The CSV file cannot be read: %(error)s") % {"error": error})
    if reading.ok and reading.rows_read == 0:
        reading.problem(None, _("file"), _("The file has no rows of figures under its column names."))
    return reading


def _find_header(rows):
    """The row of column names (the first of the first HEADER_ROWS rows naming Kommunenummer, else
    the first that is not blank) and the rows after it."""
    rows = iter(rows)
    skipped = []
    for number, values in rows:
        if any(_column_key(value) == "number" for value in values):
            return number, values, rows
        skipped.append((number, values))
        if len(skipped) >= HEADER_ROWS:
            break
    for number, values in skipped:
        if not _blank(values):
            return number, values, rows
    return None, (), rows


def _read_rows(reading, rows):
    header_row, header, rows = _find_header(rows)
    columns = {}
    for index, value in enumerate(header):
        key = _column_key(value)
        if key and key not in columns:
            columns[key] = index
    missing = [key for key in REQUIRED if key not in columns]
    for key in missing:
        reading.problem(header_row, COLUMNS[key], _("The column is missing."))
    if missing:
        return

    by_number = cities_by_number()
    # (city, year, sector, source) → [total or None, sum of single gases, rows of single gases]
    sources = defaultdict(lambda: [None, Decimal(0), 0])
    seen = {}  # (number, year, sector, source, gas) → the row it was in
    numbers_of = {}  # (city, year) → (number, row)
    width = max(columns.values()) + 1

    for row, values in rows:
        if _blank(values):
            continue
        reading.rows_read += 1
        values = list(values) + [None] * (width - len(values))
        number = _check(reading, row, "number", values[columns["number"]], _number)
        year = _check(reading, row, "year", values[columns["year"]], _year)
        sector = _check(reading, row, "sector", values[columns["sector"]], _sector)
        tonnes = _check(reading, row, "tonnes", values[columns["tonnes"]], _tonnes)
        gas = _text(values[columns["gas"]])
        source = _text(values[columns["source"]])
        if not gas:
            reading.problem(row, COLUMNS["gas"], _("Empty: the gas (or a total of the gases) is needed."))
        if None in (number, year, sector, tonnes) or not gas:
            continue
        city = by_number.get(number)
        if city is None:
            reading.rows_skipped += 1
            continue
        if tonnes < 0:
            reading.negatives += 1
        key = (number, year, sector, _name(source), _name(gas))
        if key in seen:
            reading.problem(
                row,
                COLUMNS["gas"],
                _("The same municipality, year, sector, source and gas as row %(row)s: it would count twice.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = row
        first_number, first_row = numbers_of.setdefault((city, year), (number, row))
        if first_number != number:
            reading.problem(
                row,
                COLUMNS["number"],
                _(
                    "%(city)s's figures for %(year)s are also under the number %(other)s (row %(row)s): "
                    "they would count twice."
                )
                % {"city": city.name, "year": year, "other": first_number, "row": first_row},
            )
            continue
        entry = sources[(city, year, sector, _name(source))]
        if _name(gas) in TOTAL_GASES:
            entry[0] = (entry[0] or Decimal(0)) + tonnes
        else:
            entry[1] += tonnes
            entry[2] += 1

    if reading.problems:
        return
    figures = defaultdict(Decimal)
    for (city, year, sector, _source), (total, gases, gas_rows) in sources.items():
        if total is not None:
            figures[(city, year, sector)] += total
            reading.rows_superseded += gas_rows
        else:
            figures[(city, year, sector)] += gases
    for value in figures.values():
        if abs(value) > MAX_TONNES:
            reading.problem(None, COLUMNS["tonnes"], _("A sum is larger than a municipality can emit."))
            return
    reading.figures = dict(figures)


def _check(reading, row, key, value, parse):
    try:
        return parse(value)
    except ValueError as error:
        reading.problem(row, COLUMNS[key], str(error))
        return None


def _number(value):
    if _text(value) == "":
        raise ValueError(_("Empty: the municipality number is needed."))
    number = normalise(value)
    if number is None:
        raise ValueError(_("«%(value)s» is not a municipality number (four digits).") % {"value": _text(value)})
    return number


def _year(value):
    if _text(value) == "":
        raise ValueError(_("Empty: the year is needed."))
    try:
        year = parse_year(value)
    except ValueError:
        raise ValueError(_("«%(value)s» is not a year.") % {"value": _text(value)}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            _("%(year)s is not a year of the statistics (%(first)s–%(last)s).")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def _sector(value):
    name = _name(value)
    if name in _SECTORS:
        return _SECTORS[name]
    if name in EmissionSector.values:  # the portal's own code, from a file the portal wrote
        return name
    raise ValueError(
        _("«%(value)s» is not one of the nine sectors of the statistics (%(sectors)s).")
        % {"value": _text(value), "sectors": ", ".join(PUBLISHED_NAMES)}
    )


def _tonnes(value):
    if _text(value) == "":
        raise ValueError(_("Empty: the emissions in tonnes CO₂-equivalents are needed."))
    try:
        tonnes = parse_tonnes(value)
    except ValueError:
        raise ValueError(_("«%(value)s» is not a number.") % {"value": _text(value)}) from None
    if abs(tonnes) > MAX_TONNES:
        raise ValueError(_("%(value)s t is more than a municipality can emit.") % {"value": _text(value)})
    return tonnes
