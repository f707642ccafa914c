"""The numbers the programme's cities have had (2008, the mergers of 2018 and 2020, the splits of
2024), for the cities there are. A copy of `emissions.numbers.HISTORY` as it was when written, so
that the migration does the same whatever the module later says; the demo and new databases get
theirs from `emissions.numbers.record_history`."""

from django.db import migrations

HISTORY = {
    "0301": [("0301", None, None)],  # Oslo
    "0219": [("0219", None, 2019), ("3024", 2020, 2023), ("3201", 2024, None)],  # Bærum
    "0602": [("0602", None, 2019), ("3005", 2020, 2023), ("3301", 2024, None)],  # Drammen
    "0105": [("0105", None, 2019), ("3003", 2020, 2023), ("3105", 2024, None)],  # Sarpsborg
    "0106": [("0106", None, 2019), ("3004", 2020, 2023), ("3107", 2024, None)],  # Fredrikstad
    "0805": [("0805", None, 2019), ("3806", 2020, 2023), ("4001", 2024, None)],  # Porsgrunn
    "0806": [("0806", None, 2019), ("3807", 2020, 2023), ("4003", 2024, None)],  # Skien
    "1001": [("1001", None, 2019), ("4204", 2020, None)],  # Kristiansand
    "1102": [("1102", None, 2019), ("1108", 2020, None)],  # Sandnes
    "1103": [("1103", None, None)],  # Stavanger
    "1201": [("1201", None, 2019), ("4601", 2020, None)],  # Bergen
    "1601": [("1601", None, 2017), ("5001", 2018, None)],  # Trondheim
    "1902": [("1902", None, 2019), ("5401", 2020, 2023), ("5501", 2024, None)],  # Tromsø
}


def record_numbers(apps, schema_editor):
    City = apps.get_model("cities", "City")
    MunicipalityNumber = apps.get_model("emissions", "MunicipalityNumber")
    taken = set(City.objects.values_list("municipality_number", flat=True))
    for city in City.objects.filter(municipality_number__in=HISTORY):
        for number, first, last in HISTORY[city.municipality_number]:
            if number in taken and number != city.municipality_number:
                continue  # another city's own number (a test database, a city renumbered by hand)
            MunicipalityNumber.objects.update_or_create(
                number=number, defaults={"city": city, "first_year": first, "last_year": last}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("emissions", "0001_figures_numbers_imports"),
        ("cities", "0007_profile_notices"),
    ]

    operations = [migrations.RunPython(record_numbers, migrations.RunPython.noop)]
