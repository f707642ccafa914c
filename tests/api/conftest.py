"""The API's world: Oslo's draft, Bergen's submitted programme (two versions, the second submitted) with a
land-use review and a comment, an agreement Bergen and KS are party to, a gathering hosted by Oslo with
published minutes, and KS's instrument. Tokens are made with `token_for`."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from actionplans import services
from actionplans.models import Measure
from agreements import services as agreement_services
from agreements.models import Agreement
from api.services import create_token
from meetings.models import ActionItem, Decision, Invitation, Minutes
from meetings.services import create_meeting
from state.models import Instrument
from tests.conftest import upload


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The throttles' counts and the refusals' log marks live in the default cache: each test starts without."""
    cache.clear()
    yield
    cache.clear()


def token_for(user, scope="all", name=None, **fields):
    """A new token of `user`'s: its secret."""
    _token, secret = create_token(user, name=name or f"{user.username}-{scope}", scope=scope, **fields)
    return secret


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def world(atp, energy, oslo_programme, contact_oslo, bergen_programme, contact_bergen, coordinator, manager, partner):
    oslo_draft = upload(oslo_programme, contact_oslo)
    first = upload(bergen_programme, contact_bergen, name="forste.pdf")
    upload(bergen_programme, contact_bergen, name="andre.pdf")
    bergen = services.submit_programme(bergen_programme, by=contact_bergen)
    oslo_measure = Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Oslos tiltak")
    bergen_measure = Measure.objects.create(
        programme=bergen, theme_area=atp, title="Bybane", expected_effect=120, sector="road_traffic"
    )
    review = services.review_for(bergen, atp)
    comment = services.add_comment(review, measure=bergen_measure, text="Godt tiltak", by=coordinator)
    ks = partner.memberships.get().organisation
    agreement = Agreement.objects.create(title="Belønningsordning", kind="long_term_economic", created_by=manager)
    agreement.theme_areas.set([atp])
    agreement_services.set_parties(agreement, cities=[bergen.city], organisations=[ks])
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = create_meeting(
        by=manager,
        kind="network_gathering",
        title="Samling",
        host_city=oslo_programme.city,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        status="held",
        theme_areas=[atp],
    )
    Invitation.objects.create(meeting=meeting, user=contact_bergen)
    minutes = Minutes.objects.create(
        meeting=meeting, main_points="Hovedpunkter", status="published", published_at=timezone.now()
    )
    Decision.objects.create(minutes=minutes, text="Vedtak")
    ActionItem.objects.create(minutes=minutes, text="Oppgave", owner=contact_bergen)
    instrument = Instrument.objects.create(body=ks, name_nb="Belønningsordningen", kind="grant", offers_nb="Tilskudd")
    instrument.theme_areas.set([atp])
    return {
        "oslo": oslo_programme,
        "oslo_draft": oslo_draft,
        "oslo_measure": oslo_measure,
        "bergen": bergen,
        "bergen_first": first,
        "bergen_measure": bergen_measure,
        "review": review,
        "comment": comment,
        "agreement": agreement,
        "meeting": meeting,
        "minutes": minutes,
        "instrument": instrument,
    }
