"""The numbers the cities have had: the table, the data migration, the demo's figures."""

import csv
import importlib
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.db.models import Count

from demo import emissions as demo_emissions
from demo import people as demo_people
from emissions.models import Emission, EmissionImport, MunicipalityNumber
from emissions.numbers import HISTORY, normalise, record_history

DOMAIN = Path(demo_people.DEMO_DIR) / "cities.csv"


def test_history_agrees_with_the_cities_of_2008_and_2024():
    with open(DOMAIN, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    assert {r["knr_2008"] for r in rows} == set(HISTORY)
    for r in rows:
        numbers = HISTORY[r["knr_2008"]]
        assert (numbers[0][0], numbers[-1][0]) == (r["knr_2008"], r["knr_2024"]), r["name"]


def test_record_history_is_safe_to_run_again(oslo, bergen):
    record_history()
    record_history()

    assert sorted(MunicipalityNumber.objects.values_list("city__slug", "number", "first_year", "last_year")) == [
        ("bergen", "1201", None, 2019),
        ("bergen", "4601", 2020, None),
        ("oslo", "0301", None, None),
    ]


def test_the_data_migration_records_the_numbers_of_the_cities_there_are(oslo, bergen):
    migration = importlib.import_module("emissions.migrations.0002_numbers_of_the_programme_cities")

    migration.record_numbers(apps, None)

    assert sorted(MunicipalityNumber.objects.values_list("number", flat=True)) == ["0301", "1201", "4601"]
    assert migration.HISTORY == HISTORY


def test_normalise():
    assert [normalise(v) for v in ["0301", "301", 301, 301.0, "301.0", " 4601 ", "12345", "ab12", 30.5, None]] == [
        "0301",
        "0301",
        "0301",
        "0301",
        "0301",
        "4601",
        None,
        None,
        None,
        None,
    ]


def test_the_demo_seeds_numbers_and_figures_of_every_city_and_year(db):
    demo = SimpleNamespace(cities=demo_people.cities(), users={})

    demo_emissions.seed(demo)
    demo_emissions.seed(demo)  # again: the same figures, one import

    per_year = dict(Emission.objects.values_list("year").annotate(n=Count("pk")).values_list("year", "n"))
    assert per_year == {year: 13 * 9 for year in demo_emissions.YEARS}
    assert EmissionImport.objects.get().rows_skipped == 0
    assert MunicipalityNumber.objects.filter(city__slug="baerum").count() == 3
    assert demo_emissions.number_in(demo.cities["baerum"], 2021) == "3024"
