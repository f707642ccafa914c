"""The measures export's world and its rows as read back, shared by the export tests (`test_exports`,
`test_export_jobs`): Oslo's draft with two measures (land use, energy), Bergen submitted with one (land use)."""

import datetime
from decimal import Decimal

import pytest

from actionplans import services
from actionplans.models import OSLO
from tests import factories
from tests.conftest import upload

SUBMITTED_AT = datetime.datetime(2030, 1, 10, 14, 5, tzinfo=OSLO)
MEASURE_HEADERS = [
    "City",
    "Programme status",
    "Theme area",
    "Category",
    "Title",
    "Description",
    "Status",
    "Expected effect (t CO₂e/yr)",
    "Assessed effect (t CO₂e/yr)",
    "Emission sector",
    "Cost estimate (NOK)",
    "State cooperation wanted",
    "Agreement candidate",
    "Carried over",
    "Latest progress",
    "Share done (%)",
    "Effect now (t CO₂e/yr)",
]


def measure_row(city, state, theme, category, title, description, status, effect, cost, cooperation, kind, **later):
    """A row of the export: the columns it always had, and those added with the results (`later`:
    assessed, sector, carried, progress, share, effect_now), empty unless given (`blank`: None in XLSX,
    "" in CSV)."""
    blank = later.pop("blank", None)
    more = {k: later.pop(k, blank) for k in ("assessed", "sector", "carried", "progress", "share", "effect_now")}
    assert not later, later
    return [
        city,
        state,
        theme,
        category,
        title,
        description,
        status,
        effect,
        more["assessed"],
        more["sector"],
        cost,
        cooperation,
        kind,
        more["carried"],
        more["progress"],
        more["share"],
        more["effect_now"],
    ]


@pytest.fixture
def world(round_, oslo_programme, contact_oslo, bergen_submitted, contact_bergen, atp, energy):
    upload(oslo_programme, contact_oslo)
    oslo_measures = [
        factories.MeasureFactory(
            programme=oslo_programme,
            theme_area=atp,
            title="Parkeringsnorm",
            expected_effect=Decimal("1234.5"),
            cost_estimate=Decimal("2500000"),
            status="ongoing",
            state_cooperation_wanted=True,
        ),
        factories.MeasureFactory(
            programme=oslo_programme, theme_area=energy, title="Passivhus", expected_effect=None, cost_estimate=None
        ),
    ]
    services.reopen_programme(bergen_submitted, by=contact_bergen, comment="")
    factories.MeasureFactory(
        programme=bergen_submitted, theme_area=atp, title="Bybane", expected_effect=Decimal("-5.0"), candidate_kind=""
    )
    bergen = services.submit_programme(bergen_submitted, by=contact_bergen, now=SUBMITTED_AT)
    return {"oslo": oslo_programme, "bergen": bergen, "oslo_measures": oslo_measures}
