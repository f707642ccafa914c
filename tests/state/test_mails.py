"""The mails of a request: the body's partners hear of it, the city of the answer; each once, in the
recipient's language, through the outbox."""

import pytest
from django.core.exceptions import ValidationError

from cities.models import Membership, Profile
from outbox.models import OutgoingMail
from state import notifications, services
from state.models import Instrument, StateRequest
from tests import factories
from tests.outbox.helpers import delivering

Status = StateRequest.Status


def settle(mailoutbox):
    """Send what the fixtures queued (the submission's mails, a request asked already) and forget it."""
    with delivering():
        pass
    mailoutbox.clear()


def sent(mailoutbox):
    return sorted((m.to[0], m.subject) for m in mailoutbox)


@pytest.fixture
def second_partner(body):
    """Another partner of KS, who reads in English."""
    user = factories.UserFactory(username="ks-to")
    factories.MembershipFactory(user=user, role=Membership.Role.PARTNER, organisation=body)
    Profile.objects.create(user=user, language="en")
    return user


def ask(programme, by, instrument, measure=None):
    return services.ask(
        programme=programme,
        measure=measure,
        body=instrument.body,
        instrument=instrument,
        need="Hjelp med bybanen",
        needed_by=None,
        by=by,
    )


def test_the_partners_of_the_body_hear_of_a_request_once_each(
    bergen_submitted, contact_bergen, instrument, partner, second_partner, enova_partner, mailoutbox
):
    settle(mailoutbox)
    with delivering():
        request = ask(bergen_submitted, contact_bergen, instrument)

    assert sent(mailoutbox) == [
        (second_partner.email, "Bergen asks KS for help"),
        (partner.email, "Bergen ber KS om hjelp"),
    ]
    english = next(m for m in mailoutbox if m.to == [second_partner.email])
    assert "Bergen asks you for help with its action programme Handlingsprogram 2030." in english.body
    assert "Hjelp med bybanen" in english.body
    assert f"/state/requests/{request.pk}/" in english.body
    assert OutgoingMail.objects.filter(kind="state_request_made").count() == 2


def test_a_request_is_mailed_once_however_often_it_is_told(bergen_request, partner, mailoutbox):
    settle(mailoutbox)  # the request's own mail went to KS's partner
    change = bergen_request.status_changes.get()

    with delivering():
        notifications.request_made(bergen_request, change)
        notifications.request_made(bergen_request, change)

    assert OutgoingMail.objects.filter(kind="state_request_made", recipient=partner).count() == 1
    assert mailoutbox == []


def test_the_city_hears_the_answer_once(bergen_request, partner, contact_bergen, mailoutbox):
    Profile.objects.create(user=contact_bergen, language="en")
    settle(mailoutbox)

    with delivering():
        services.answer(
            bergen_request,
            to_status=Status.OFFERED,
            by=partner,
            offer="Tilskudd fra ordningen",
            offer_amount=40_000_000,
            offer_conditions="Lokal medfinansiering",
        )
        # Acknowledging on the way sent nothing; a second try at the same answer is refused and sends nothing.
        with pytest.raises(ValidationError):
            services.answer(bergen_request, to_status=Status.OFFERED, by=partner, offer="Igjen")

    (message,) = mailoutbox
    assert message.to == [contact_bergen.email]
    assert message.subject == "KS answered your request: Answered with an offer"
    assert "Tilskudd fra ordningen" in message.body
    assert "NOK 40,000,000" in message.body
    assert "Lokal medfinansiering" in message.body
    change = bergen_request.status_changes.get(to_status=Status.OFFERED)
    with delivering():
        notifications.request_answered(bergen_request, change)
    assert len(mailoutbox) == 1


def test_a_refusal_and_a_referral_are_told_in_norwegian(
    bergen_submitted, contact_bergen, instrument, partner, other_body, mailoutbox
):
    refused, referred = (
        ask(bergen_submitted, contact_bergen, instrument),
        ask(bergen_submitted, contact_bergen, instrument),
    )
    settle(mailoutbox)

    with delivering():
        services.answer(refused, to_status=Status.REFUSED, by=partner, refusal_reason="Utenfor ordningen")
        services.answer(referred, to_status=Status.REFERRED, by=partner, referred_body=other_body)

    bodies = {m.subject: m.body for m in mailoutbox if m.to == [contact_bergen.email]}
    assert set(bodies) == {"KS svarte på forespørselen: Avvist", "KS svarte på forespørselen: Henvist"}
    assert "Utenfor ordningen" in bodies["KS svarte på forespørselen: Avvist"]
    assert "Enova SF" in bodies["KS svarte på forespørselen: Henvist"]


def test_who_raised_a_request_on_the_city_s_behalf_hears_the_answer_too(
    bergen_submitted, bergen_measure, coordinator, contact_bergen, instrument, partner, mailoutbox
):
    request = ask(bergen_submitted, coordinator, instrument, measure=bergen_measure)
    settle(mailoutbox)

    with delivering():
        services.answer(request, to_status=Status.REFUSED, by=partner, refusal_reason="Nei")

    assert sorted(m.to[0] for m in mailoutbox) == sorted([contact_bergen.email, coordinator.email])


def test_acknowledging_and_withdrawing_send_nothing(bergen_request, partner, contact_bergen, mailoutbox):
    settle(mailoutbox)

    with delivering():
        services.acknowledge(bergen_request, by=partner)
        services.withdraw(bergen_request, by=contact_bergen)

    assert mailoutbox == []


def test_the_partners_of_the_body_referred_to_hear_of_it_once(
    bergen_request, partner, contact_bergen, enova_partner, other_body, other_instrument, mailoutbox
):
    Profile.objects.create(user=enova_partner, language="en")
    settle(mailoutbox)

    with delivering():
        services.answer(
            bergen_request,
            to_status=Status.REFERRED,
            by=partner,
            referred_instrument=other_instrument,
            comment="Enova støtter energitiltak",
        )
    change = bergen_request.status_changes.get(to_status=Status.REFERRED)
    with delivering():
        notifications.request_referred(bergen_request, change)

    (message,) = [m for m in mailoutbox if m.to == [enova_partner.email]]
    assert message.subject == "KS refers Bergen to you"
    assert (
        "KS has referred a request from Bergen, for its action programme Handlingsprogram 2030, to Enova SF. "
        "The city may turn to you about it." in message.body
    )
    assert "Instrument: Rammeavtale med Enova" in message.body
    assert "KS writes:\nEnova støtter energitiltak" in message.body
    assert "Hemmelig behov: 40 millioner til bybanen" in message.body
    assert f"/state/requests/{bergen_request.pk}/" in message.body
    assert sorted(m.to[0] for m in mailoutbox) == sorted([contact_bergen.email, enova_partner.email])
    assert OutgoingMail.objects.filter(kind="state_request_referred").count() == 1


def test_a_referral_to_another_instrument_of_the_same_body_tells_no_one_else(
    bergen_request, partner, contact_bergen, body, mailoutbox
):
    second = Instrument.objects.create(body=body, name_nb="Veiledning", kind="guidance", offers_nb="Råd")
    settle(mailoutbox)

    with delivering():
        services.answer(bergen_request, to_status=Status.REFERRED, by=partner, referred_instrument=second)

    assert [m.to for m in mailoutbox] == [[contact_bergen.email]]
    assert not OutgoingMail.objects.filter(kind="state_request_referred").exists()
