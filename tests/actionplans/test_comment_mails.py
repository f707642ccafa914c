"""Mail around comments and submissions: the city hears when comments are sent to it, the others in
a comment's thread hear when it is answered or resolved, and the submitting city gets a receipt."""

import datetime

import pytest
import time_machine

from actionplans import services
from actionplans.models import Review
from cities.models import Profile
from outbox.models import OutgoingMail
from tests.conftest import upload
from tests.outbox.helpers import delivering


@pytest.fixture
def review(bergen_submitted, atp, coordinator, mailoutbox):
    """Bergen's submitted programme under review; what its submission sent is sent and forgotten."""
    with delivering():
        review = services.review_for(bergen_submitted, atp)
    mailoutbox.clear()
    return review


def subjects(mailoutbox):
    return sorted((m.to[0], m.subject) for m in mailoutbox)


def test_the_city_hears_when_comments_are_sent_to_it(review, coordinator, contact_bergen, mailoutbox):
    Profile.objects.create(user=contact_bergen, language="en")
    services.add_comment(review, measure=None, text="Mangler tall for 2020.", by=coordinator)
    services.add_comment(review, measure=None, text="Beskriv parkeringsnormen.", by=coordinator)
    mailoutbox.clear()

    with delivering():
        services.update_review(review, assessment="", status=Review.Status.COMMENTS_SENT, by=coordinator)

    (message,) = mailoutbox
    assert message.to == [contact_bergen.email]
    assert message.subject == "Comments on Bergen's action programme: Land use and transport"
    assert "2 comments on your action programme for Handlingsprogram 2030" in message.body
    assert f"/programmes/{review.programme_id}/" in message.body


def test_the_coordinator_hears_when_the_city_answers_and_the_city_when_the_coordinator_answers_back(
    review, coordinator, contact_bergen, mailoutbox
):
    comment = services.add_comment(review, measure=None, text="Mangler tall for 2020.", by=coordinator)
    mailoutbox.clear()

    with delivering():
        services.reply_to_comment(comment, text="Tallene kommer i versjon 2.", by=contact_bergen)
    assert subjects(mailoutbox) == [(coordinator.email, "Bergen svarte på en kommentar")]
    assert "Tallene kommer i versjon 2." in mailoutbox[0].body

    mailoutbox.clear()
    with delivering():
        services.reply_to_comment(comment, text="Takk!", by=coordinator)
    assert subjects(mailoutbox) == [(contact_bergen.email, "Bergen svarte på en kommentar")]


def test_the_coordinator_hears_when_the_city_marks_a_comment_resolved(review, coordinator, contact_bergen, mailoutbox):
    comment = services.add_comment(review, measure=None, text="Mangler tall for 2020.", by=coordinator)
    mailoutbox.clear()

    with delivering():
        services.resolve_comment(comment, by=contact_bergen, version=None)
        services.resolve_comment(comment, by=contact_bergen, version=None)  # once resolved, nothing more happens

    assert subjects(mailoutbox) == [(coordinator.email, "En kommentar til handlingsprogrammet til Bergen er løst")]


def test_the_submitting_city_gets_a_receipt_that_says_whether_it_was_on_time(oslo_programme, contact_oslo, mailoutbox):
    upload(oslo_programme, contact_oslo, name="Handlingsprogram Oslo.pdf")
    with time_machine.travel(datetime.datetime(2030, 1, 16, 9, tzinfo=datetime.UTC), tick=False), delivering():
        services.submit_programme(oslo_programme, by=contact_oslo)

    receipt = next(m for m in mailoutbox if m.to == [contact_oslo.email])
    assert receipt.subject == "Kvittering: handlingsprogrammet til Oslo for Handlingsprogram 2030 er sendt inn"
    assert "16.01.2030 kl. 10.00" in receipt.body  # Norwegian time of day
    assert "versjon 1 (Handlingsprogram Oslo.pdf)" in receipt.body
    assert "etter fristen (15.01.2030)" in receipt.body
    assert OutgoingMail.objects.filter(kind="submission_receipt").count() == 1
