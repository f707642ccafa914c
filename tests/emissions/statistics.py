"""Small files of the layout of Miljødirektoratet's «Klimagassutslipp i kommuner», made in tmp_path."""

import csv
from decimal import Decimal

from openpyxl import Workbook

HEADER = [
    "Fylke",
    "Kommunenummer",
    "Kommune",
    "År",
    "Sektor",
    "Utslippskilde",
    "Klimagass",
    "Utslipp (tonn CO2-ekvivalenter)",
]


def row(number="0301", year=2021, sector="Veitrafikk", tonnes=100, *, source="Personbiler", gas="Karbondioksid (CO2)"):
    """One row of the statistics: Fylke and Kommune are not read, so they are whatever."""
    return ["Fylke", number, "Kommune", year, sector, source, gas, tonnes]


def write_xlsx(path, rows, *, header=HEADER, title_rows=()):
    """An XLSX with the rows as typed values (numbers as numbers), as the statistics are downloaded."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Utslipp"
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(header))
    for values in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in values])
    workbook.save(path)
    return path


def write_csv(path, rows, *, header=HEADER, delimiter=";", decimal=",", bom=True):
    """A CSV of the rows: numbers with the decimal sign asked for."""

    def cell(value):
        if isinstance(value, float | Decimal):
            return str(value).replace(".", decimal)
        return "" if value is None else str(value)

    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([[cell(v) for v in values] for values in rows])
    return path
