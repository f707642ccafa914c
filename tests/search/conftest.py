"""A programme with something of every kind to find, and the index built from it.

Oslo's programme is a draft (its measures and its document are Oslo's alone); Bergen has submitted its
programme, whose review of land use and transport is in progress (its comments are the reviewers' until
they are sent). Every text carries the word «klimaplan», so that one search finds every kind; each also
has a word of its own.
"""

import datetime

import pytest
from django.utils import timezone

from actionplans import services
from actionplans.models import Draft, Measure, Review
from agreements.models import Agreement, Party
from meetings.models import ActionItem, Decision, Meeting, Minutes
from search.indexing import reindex_all
from state.models import Instrument, StateRequest
from tests.conftest import upload


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def oslo_measure(oslo_programme, atp):
    return Measure.objects.create(
        programme=oslo_programme,
        theme_area=atp,
        title="Tiltakene for sykkelparkering",
        description="Oslos klimaplan: sykkelparkering ved stasjonene.",
    )


@pytest.fixture
def oslo_document(oslo_programme, contact_oslo):
    draft = upload(oslo_programme, contact_oslo)
    Draft.objects.filter(pk=draft.pk).update(text="Utkastet til klimaplan for Oslo: hemmeligfjernvarme i Groruddalen.")
    return draft


@pytest.fixture
def bergen_measure(bergen_submitted, atp):
    return Measure.objects.create(
        programme=bergen_submitted,
        theme_area=atp,
        title="Sykkelparkering ved bybanen",
        description="Bergens klimaplan: bybanen og sykkelparkering.",
    )


@pytest.fixture
def review_comment(bergen_submitted, bergen_measure, atp, coordinator):
    """A comment of a review in progress: read by the reviewers, not yet by Bergen."""
    review = services.review_for(bergen_submitted, atp)
    comment = services.add_comment(
        review, measure=bergen_measure, text="Klimaplan: regn ut kommentareffekten av parkeringen.", by=coordinator
    )
    Review.objects.filter(pk=review.pk).update(status=Review.Status.IN_PROGRESS)
    return comment


@pytest.fixture
def answer(review_comment, contact_bergen):
    return services.reply_to_comment(review_comment, text="Klimaplan: svarteksten kommer.", by=contact_bergen)


@pytest.fixture
def meeting(manager, oslo):
    starts = timezone.now() + datetime.timedelta(days=10)
    return Meeting.objects.create(
        kind=Meeting.Kind.NETWORK_GATHERING,
        title="Nettverkssamling om klimaplan",
        description="Samlingens møteprogram.",
        host_city=oslo,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        created_by=manager,
    )


@pytest.fixture
def minutes(meeting):
    """A draft: its organisers read it, Oslo (the host) not yet."""
    minutes = Minutes.objects.create(meeting=meeting, main_points="Klimaplan: referatpunktene.")
    Decision.objects.create(minutes=minutes, text="Vedtaksteksten om klimaplan.")
    ActionItem.objects.create(minutes=minutes, text="Oppfølgingsoppgaven om klimaplan.")
    return minutes


@pytest.fixture
def agreement(manager, bergen):
    agreement = Agreement.objects.create(
        title="Avtale om klimaplan",
        kind="pilot_project",
        description="Avtaleteksten om bybanen.",
        created_by=manager,
    )
    Party.objects.create(agreement=agreement, city=bergen)
    return agreement


@pytest.fixture
def instrument(partner):
    return Instrument.objects.create(
        body=partner.memberships.get().organisation,
        name_nb="Tilskudd til klimaplan",
        name_en="Grants for climate plans",
        kind=Instrument.Kind.GRANT,
        offers_nb="Virkemiddelteksten om tilskudd.",
    )


@pytest.fixture
def state_request(bergen_submitted, bergen_measure, contact_bergen, instrument):
    return StateRequest.objects.create(
        programme=bergen_submitted,
        measure=bergen_measure,
        body=instrument.body,
        instrument=instrument,
        need="Klimaplan: forespørselsteksten om 40 millioner.",
        raised_by=contact_bergen,
    )


@pytest.fixture
def everything(
    oslo_measure, oslo_document, bergen_measure, review_comment, answer, minutes, agreement, instrument, state_request
):
    """Something of every kind, indexed."""
    reindex_all()
