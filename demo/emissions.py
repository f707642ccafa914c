"""The emission statistics of the demo: the numbers the 13 cities have had, and figures for 2009–2023
imported as a file of Miljødirektoratet's layout would be (each year under the numbers in use
then, so that the old and new numbers both show), by the programme management.

The figures are made up: a plausible profile per inhabitant and sector, falling over the years,
varied per city. They are not the statistics. Safe to run again: the demo's import replaces its years.
"""

import csv
import hashlib
import io
from decimal import Decimal

from cities.sectors import PUBLISHED_NAMES, EmissionSector
from emissions.importer import ImportRefused, read_statistics
from emissions.models import EmissionImport
from emissions.numbers import HISTORY, record_history
from emissions.storage import store

FILE_NAME = "klimagassutslipp-demo.csv"
YEARS = range(2009, 2024)
SECTOR_NAMES = {code: name for name, code in PUBLISHED_NAMES.items()}
# t CO₂e per inhabitant in 2009, and how much of it is left by 2023.
PROFILE = {
    EmissionSector.INDUSTRY: (Decimal("0.30"), Decimal("0.80")),
    EmissionSector.ENERGY_SUPPLY: (Decimal("0.08"), Decimal("0.70")),
    EmissionSector.HEATING: (Decimal("0.35"), Decimal("0.15")),
    EmissionSector.ROAD_TRAFFIC: (Decimal("1.10"), Decimal("0.70")),
    EmissionSector.SHIPPING: (Decimal("0.15"), Decimal("0.85")),
    EmissionSector.AVIATION: (Decimal("0.02"), Decimal("0.90")),
    EmissionSector.OTHER_MOBILE: (Decimal("0.20"), Decimal("0.75")),
    EmissionSector.AGRICULTURE: (Decimal("0.05"), Decimal("0.95")),
    EmissionSector.WASTE: (Decimal("0.12"), Decimal("0.60")),
}
# Road traffic's tonnes come from two sources, with their single gases; heating's as the total of the gases.
ROAD_SOURCES = [("Personbiler", Decimal("0.6")), ("Tunge kjøretøy", Decimal("0.4"))]
GASES = [
    ("Karbondioksid (CO2)", Decimal("0.98")),
    ("Metan (CH4)", Decimal("0.005")),
    ("Lystgass (N2O)", Decimal("0.015")),
]


def number_in(city, year):
    """The city's municipality number in `year`, as HISTORY has it."""
    for number, first, last in HISTORY.get(city.municipality_number, [(city.municipality_number, None, None)]):
        if (first is None or first <= year) and (last is None or year <= last):
            return number
    return city.municipality_number


def _variation(city, sector):
    """A fixed factor between 0.6 and 1.4 per city and sector, so that the cities differ."""
    digest = hashlib.sha256(f"{city.slug}:{sector}".encode()).digest()
    return Decimal(60 + digest[0] % 81) / 100


def _rows_of(sector, tonnes):
    """(source, gas, tonnes) of a sector's figure: road traffic's two sources with their single gases,
    heating's as the total of the gases, the others' as CO₂ alone."""
    if sector == EmissionSector.ROAD_TRAFFIC:
        return [(source, gas, tonnes * share * gas_share) for source, share in ROAD_SOURCES for gas, gas_share in GASES]
    if sector == EmissionSector.HEATING:
        return [("Husholdninger og næring", "Klimagasser i alt", tonnes)]
    return [("Alle kilder", "Karbondioksid (CO2)", tonnes)]


def statistics_csv(cities):
    """The demo's statistics as the CSV the statistics are downloaded as (`;`, decimal comma)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Fylke",
            "Kommunenummer",
            "Kommune",
            "År",
            "Sektor",
            "Utslippskilde",
            "Klimagass",
            "Utslipp (tonn CO2-ekvivalenter)",
        ]
    )
    span = YEARS[-1] - YEARS[0]
    for city in cities:
        people = Decimal(city.population or 50_000)
        for year in YEARS:
            number = number_in(city, year)
            for sector, (per_person, left) in PROFILE.items():
                trend = 1 - (1 - left) * Decimal(year - YEARS[0]) / span
                tonnes = people * per_person * trend * _variation(city, sector)

                for source, gas, value in _rows_of(sector, tonnes):
                    cell = f"{value.quantize(Decimal('0.1'))}".replace(".", ",")
                    writer.writerow(
                        [city.county.name, number, city.name, year, SECTOR_NAMES[sector], source, gas, cell]
                    )
    return out.getvalue().encode("utf-8-sig")


def seed(demo):
    """The numbers of the demo's cities and its import of the statistics, by the programme management."""
    cities = list(demo.cities.values())
    record_history(cities)
    EmissionImport.objects.filter(file_name=FILE_NAME).delete()  # its figures are replaced below
    reading = read_statistics(io.BytesIO(statistics_csv(cities)), FILE_NAME)
    if not reading.ok:
        raise ImportRefused(reading)
    return store(reading, by=demo.users.get("departementet"))
