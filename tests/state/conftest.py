"""The state bodies of the state tests: KS (the partner persona's organisation) keeps an instrument in land use
and transport; Enova, with a partner of its own, is another body. Bergen has submitted its programme; Oslo's is
a draft."""

import pytest

from actionplans.models import Measure
from cities.models import Membership
from state import services
from state.models import Instrument
from tests import factories


@pytest.fixture
def body(partner):
    return partner.memberships.get().organisation


@pytest.fixture
def enova_partner(db):
    user = factories.UserFactory(username="enova")
    organisation = factories.OrganisationFactory(short_name="Enova", name="Enova SF", kind="state_agency")
    factories.MembershipFactory(user=user, role=Membership.Role.PARTNER, organisation=organisation)
    return user


@pytest.fixture
def other_body(enova_partner):
    return enova_partner.memberships.get().organisation


@pytest.fixture
def instrument(body, atp):
    instrument = Instrument.objects.create(
        body=body,
        name_nb="Belønningsordningen for kollektivtransport",
        name_en="The reward scheme for public transport",
        kind=Instrument.Kind.GRANT,
        offers_nb="Tilskudd til bedre kollektivtransport.",
        offers_en="Grants for better public transport.",
        contact_role="Seksjon for kollektivtransport",
        link="https://www.regjeringen.no/belonning",
    )
    instrument.theme_areas.set([atp])
    return instrument


@pytest.fixture
def other_instrument(other_body, energy):
    instrument = Instrument.objects.create(
        body=other_body,
        name_nb="Rammeavtale med Enova",
        kind=Instrument.Kind.FRAMEWORK_AGREEMENT,
        offers_nb="Støtte til energieffektivisering i kommunale bygg.",
    )
    instrument.theme_areas.set([energy])
    return instrument


@pytest.fixture
def bergen_measure(bergen_submitted, atp):
    return Measure.objects.create(programme=bergen_submitted, theme_area=atp, title="Bybane til Fyllingsdalen")


@pytest.fixture
def bergen_request(bergen_submitted, bergen_measure, contact_bergen, instrument):
    return services.ask(
        programme=bergen_submitted,
        measure=bergen_measure,
        body=instrument.body,
        instrument=instrument,
        need="Hemmelig behov: 40 millioner til bybanen",
        needed_by=None,
        by=contact_bergen,
    )


@pytest.fixture
def oslo_request(oslo_programme, contact_oslo, instrument):
    return services.ask(
        programme=oslo_programme,
        measure=None,
        body=instrument.body,
        instrument=instrument,
        need="Oslos behov: flere busser",
        needed_by=None,
        by=contact_oslo,
    )
