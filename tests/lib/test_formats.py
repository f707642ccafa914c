"""lib.formats: names, tonnes and kroner as the active language writes them (the template filters use these)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from lib.formats import kroner, person_name, tonnes


@pytest.mark.parametrize(
    ("language", "effect", "amount"),
    [("nb", "35,7", "1\xa0500\xa0000 kr"), ("en", "35.7", "NOK 1,500,000")],
)
def test_tonnes_and_kroner_follow_the_language(language, effect, amount):
    with translation.override(language):
        # Sums from SQLite carry float noise; one decimal is shown.
        assert tonnes(35.7000000000001) == effect
        assert kroner(Decimal("1500000")) == amount


@pytest.mark.parametrize("missing", [None, ""])
def test_tonnes_and_kroner_of_nothing_show_the_empty_mark(missing):
    assert tonnes(missing) == "–"
    assert kroner(missing) == "–"
    assert tonnes(missing, "0") == "0"
    assert kroner(missing, "") == ""


def test_person_name_is_the_full_name_else_the_user_name():
    user_model = get_user_model()
    assert person_name(user_model(username="kari", first_name="Kari", last_name="Nordmann")) == "Kari Nordmann"
    assert person_name(user_model(username="kari")) == "kari"
