import pytest

from emissions.numbers import record_history
from tests import factories


@pytest.fixture
def baerum(db):
    return factories.CityFactory(name="Bærum", slug="baerum", municipality_number="0219")


@pytest.fixture
def numbers(oslo, bergen, baerum):
    """The numbers the three cities have had: Bergen 1201 and 4601, Bærum 0219, 3024 and 3201."""
    record_history()
