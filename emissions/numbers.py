"""The municipality numbers of the programme's cities over time, and finding a city by any of them.

The statistics are published under the numbers in use when a release was made (a release of 2021
has every year since 1990 under the numbers of 2020), so a number names a city whatever year a
row is about: the years below only say when each number was in use. Trøndelag's merger gave
Trondheim its new number in 2018; the other county mergers came in 2020, and the splits of Viken,
Vestfold og Telemark and Troms og Finnmark in 2024.
"""

from cities.models import City
from emissions.models import MunicipalityNumber

# The city's number of 2008 (City.municipality_number) → (number, in use from, in use until).
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


def record_history(cities=None):
    """Store the numbers of HISTORY for `cities` (by default every city), found by their number of
    2008; cities not in HISTORY keep only their own number. Safe to run again: a number already
    stored is brought up to date. Returns how many numbers were written."""
    cities = City.objects.all() if cities is None else cities
    taken = set(City.objects.values_list("municipality_number", flat=True))
    written = 0
    for city in cities:
        for number, first, last in HISTORY.get(city.municipality_number, []):
            if number in taken and number != city.municipality_number:
                continue  # another city's own number
            MunicipalityNumber.objects.update_or_create(
                number=number, defaults={"city": city, "first_year": first, "last_year": last}
            )
            written += 1
    return written


def normalise(value):
    """A municipality number as written in a file, as four digits; None if it is not one.

    Excel drops the leading zero of 0301 (it takes the column for numbers), so three digits are
    read as 0xxx; a number cell may also come as 301.0."""
    if value is None:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isascii() or not text.isdigit() or len(text) not in (3, 4):
        return None
    return text.zfill(4)


def cities_by_number():
    """Every number a city of the programme has had → the city: its own number (of 2008) and the
    ones stored as MunicipalityNumber. Two queries."""
    cities = {city.pk: city for city in City.objects.all()}
    found = {number: cities[city_id] for number, city_id in MunicipalityNumber.objects.values_list("number", "city_id")}
    found.update({city.municipality_number: city for city in cities.values()})
    return found
