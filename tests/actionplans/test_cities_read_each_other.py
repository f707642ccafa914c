"""Cities learn from each other: once a round's deadline has passed (or as the round says),
a city contact reads the other cities' submitted programmes: the submitted version and the
measures, never the drafts before it, the reviews, the comments or the extension requests."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from actionplans import services
from actionplans.access import programmes_visible_to
from actionplans.models import OSLO, ExtensionRequest, Round
from tests import factories
from tests.conftest import upload
from tests.files import make_pdf

BEFORE = datetime.datetime(2030, 1, 10, 12, tzinfo=OSLO)  # the round is due 15.01.2030
AFTER = datetime.datetime(2030, 1, 16, 12, tzinfo=OSLO)


@pytest.fixture
def bergen_after_review(bergen_programme, contact_bergen, coordinator, manager, atp):
    """Bergen submitted version 2 (version 1 was a draft), with a measure, a review comment sent
    and an extension request that was turned down."""
    ExtensionRequest.objects.create(
        programme=bergen_programme,
        requested_date=datetime.date(2030, 2, 1),
        reason="Bystyret møtes sent",
        requested_by=contact_bergen,
    )
    factories.MeasureFactory(programme=bergen_programme, theme_area=atp, title="Bybane")
    first = upload(bergen_programme, contact_bergen, content=make_pdf("Utkast"), name="utkast.pdf")
    second = upload(bergen_programme, contact_bergen, content=make_pdf("Endelig"), name="endelig.pdf")
    with time_machine.travel(BEFORE, tick=False):
        services.submit_programme(bergen_programme, by=contact_bergen)
    review = services.review_for(bergen_programme, atp)
    services.add_comment(review, measure=None, text="Hemmelig dialog", by=coordinator)
    services.update_review(review, assessment="Vurdering", status="comments_sent", by=coordinator)
    return {"programme": bergen_programme, "draft": first, "submitted": second}


def get(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.get(url)


def test_before_the_deadline_another_city_reads_nothing(client, bergen_after_review, contact_oslo):
    programme = bergen_after_review["programme"]
    with time_machine.travel(BEFORE, tick=False):
        assert (
            get(client, contact_oslo, reverse("actionplans:programme_detail", args=[programme.pk])).status_code == 404
        )
        assert list(programmes_visible_to(contact_oslo)) == []


def test_after_the_deadline_another_city_reads_the_submitted_version_and_measures(
    client, bergen_after_review, contact_oslo, oslo_programme
):
    programme = bergen_after_review["programme"]
    with time_machine.travel(AFTER, tick=False):
        response = get(client, contact_oslo, reverse("actionplans:programme_detail", args=[programme.pk]))
        submitted = get(
            client, contact_oslo, reverse("actionplans:draft_download", args=[bergen_after_review["submitted"].pk])
        )
        earlier = get(
            client, contact_oslo, reverse("actionplans:draft_download", args=[bergen_after_review["draft"].pk])
        )
        listed = {p.city.name for p in programmes_visible_to(contact_oslo)}

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bybane" in html and "endelig.pdf" in html
    for private in ["utkast.pdf", "Hemmelig dialog", "Vurdering", "Request for more time until"]:
        assert private not in html, private
    assert (submitted.status_code, earlier.status_code) == (200, 404)
    assert listed == {"Oslo", "Bergen"}
    # Reading is all: nothing to change, submit or answer.
    assert not response.context["can_edit"] and not response.context["can_answer"]


def test_a_draft_of_another_city_stays_private_after_the_deadline(
    client, bergen_programme, contact_bergen, contact_oslo
):
    upload(bergen_programme, contact_bergen)
    with time_machine.travel(AFTER, tick=False):
        assert (
            get(client, contact_oslo, reverse("actionplans:programme_detail", args=[bergen_programme.pk])).status_code
            == 404
        )


@pytest.mark.parametrize(
    ("openness", "moment", "reads"),
    [
        (Round.Openness.ALWAYS, BEFORE, True),
        (Round.Openness.NEVER, AFTER, False),
        (Round.Openness.AFTER_DEADLINE, AFTER, True),
    ],
)
def test_the_round_says_when_cities_read_each_other(client, bergen_after_review, contact_oslo, openness, moment, reads):
    programme = bergen_after_review["programme"]
    Round.objects.filter(pk=programme.round_id).update(open_to_cities=openness)
    with time_machine.travel(moment, tick=False):
        status = get(client, contact_oslo, reverse("actionplans:programme_detail", args=[programme.pk])).status_code
        listed = programmes_visible_to(contact_oslo).filter(pk=programme.pk).exists()

    assert (status, listed) == ((200, True) if reads else (404, False))


def test_the_own_city_still_reads_everything_of_its_own(client, bergen_after_review, contact_bergen):
    with time_machine.travel(AFTER, tick=False):
        html = get(
            client, contact_bergen, reverse("actionplans:programme_detail", args=[bergen_after_review["programme"].pk])
        ).content.decode()

    for own in ["utkast.pdf", "endelig.pdf", "Hemmelig dialog", "Request for more time until"]:
        assert own in html, own


def test_an_outsider_reads_nothing(client, bergen_after_review, outsider):
    with time_machine.travel(AFTER, tick=False):
        url = reverse("actionplans:programme_detail", args=[bergen_after_review["programme"].pk])
        assert get(client, outsider, url).status_code == 404
