"""The open data's world: Bergen's submitted programme (two versions, the second submitted) with measures in
two themes, one assessed, and an agreement with KS on one of them; Oslo's draft with a measure; the round
published by the management, or not (`published`)."""

import pytest

from actionplans import services
from actionplans.models import Measure, MeasureCategory
from agreements import services as agreement_services
from agreements.models import Agreement
from opendata.services import publish_round
from tests.conftest import upload
from tests.files import make_pdf


@pytest.fixture
def public_world(atp, energy, oslo_programme, contact_oslo, bergen_programme, contact_bergen, coordinator, manager):
    upload(oslo_programme, contact_oslo, content=make_pdf("Oslos utkast"), name="oslo-utkast.pdf")
    oslo_measure = Measure.objects.create(
        programme=oslo_programme, theme_area=atp, title="Oslos hemmelige tiltak", expected_effect=999
    )
    upload(bergen_programme, contact_bergen, content=make_pdf("Forste utkast"), name="forste-utkast.pdf")
    upload(bergen_programme, contact_bergen, content=make_pdf("Innsendt versjon"), name="innsendt.pdf")
    category = MeasureCategory.objects.create(theme_area=atp, name_nb="Kollektivtrafikk", name_en="Public transport")
    bybane = Measure.objects.create(
        programme=bergen_programme,
        theme_area=atp,
        category=category,
        sector="road_traffic",
        title="Bybane",
        description="Bybane til Fyllingsdalen",
        expected_effect=120,
        cost_estimate=5_000_000,
        status="ongoing",
    )
    heat = Measure.objects.create(
        programme=bergen_programme, theme_area=energy, title="Fjernvarme", expected_effect="30.5", status="planned"
    )
    bergen = services.submit_programme(bergen_programme, by=contact_bergen)
    services.assess_measure(bybane, effect=80, reason="Beregningen er for optimistisk", by=coordinator)
    ks = manager.memberships.get().organisation  # the ministry as the state's party
    agreement = Agreement.objects.create(
        title="Belønningsordning", kind="long_term_economic", status="signed", value=2_000_000, created_by=manager
    )
    agreement_services.set_parties(agreement, cities=[bergen.city], organisations=[ks])
    agreement.measures.set([bybane])
    draft_agreement = Agreement.objects.create(
        title="Oslos avtale", kind="pilot_project", value=1_000, created_by=manager
    )
    draft_agreement.measures.set([oslo_measure])
    return {
        "bergen": bergen,
        "oslo": oslo_programme,
        "bybane": bybane,
        "heat": heat,
        "oslo_measure": oslo_measure,
        "agreement": agreement,
        "draft_agreement": draft_agreement,
        "ministry": ks,
    }


@pytest.fixture
def published(public_world, round_, manager):
    return publish_round(round_, by=manager)
