"""Who may do what with instruments and requests, for every persona; and the querysets of state.access agree
with the rules, so that a list never shows what its detail page would refuse."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from actionplans.models import Measure
from state import services
from state.access import (
    get_instrument_for_user,
    get_request_for_user,
    instruments_visible_to,
    measures_to_ask_for,
    requests_visible_to,
)
from state.models import Instrument, StateRequest

PERSONAS = ["contact_oslo", "contact_bergen", "coordinator", "manager", "partner", "enova_partner", "outsider"]


def who(request, perm, obj=None):
    """The personas (and the anonymous and the superuser) that have `perm` on `obj`."""
    users = {name: request.getfixturevalue(name) for name in [*PERSONAS, "superuser"]}
    users["anonymous"] = AnonymousUser()
    return {name for name, user in users.items() if user.has_perm(perm, obj)}


MEMBERS = {"contact_oslo", "contact_bergen", "coordinator", "manager", "partner", "enova_partner", "superuser"}


def test_everyone_in_the_programme_browses_the_register(request, instrument):
    assert who(request, "state.browse_register") == MEMBERS
    assert who(request, "state.view_instrument", instrument) == MEMBERS


def test_an_instrument_no_longer_offered_is_seen_by_its_body_and_the_management(request, instrument):
    Instrument.objects.filter(pk=instrument.pk).update(active=False)
    instrument.refresh_from_db()

    assert who(request, "state.view_instrument", instrument) == {"manager", "partner", "superuser"}


def test_the_partners_of_a_body_and_the_management_keep_its_instruments(request, instrument):
    assert who(request, "state.add_instrument") == {"manager", "partner", "enova_partner", "superuser"}
    assert who(request, "state.change_instrument", instrument) == {"manager", "partner", "superuser"}


def test_a_city_asks_for_its_own_programme_and_reviewers_for_a_submitted_one(request, oslo_programme, bergen_submitted):
    assert who(request, "state.ask_for_programme", oslo_programme) == {"contact_oslo", "superuser"}
    assert who(request, "state.ask_for_programme", bergen_submitted) == {
        "contact_bergen",
        "coordinator",
        "manager",
        "superuser",
    }


def test_a_coordinator_asks_for_the_measures_of_its_own_theme(request, bergen_submitted, bergen_measure, energy):
    energy_measure = Measure.objects.create(programme=bergen_submitted, theme_area=energy, title="Passivhus")

    assert who(request, "state.ask_for_measure", bergen_measure) == {
        "contact_bergen",
        "coordinator",
        "manager",
        "superuser",
    }
    assert who(request, "state.ask_for_measure", energy_measure) == {"contact_bergen", "manager", "superuser"}
    coordinator = request.getfixturevalue("coordinator")
    assert list(measures_to_ask_for(coordinator, bergen_submitted)) == [bergen_measure]
    assert set(measures_to_ask_for(request.getfixturevalue("contact_bergen"), bergen_submitted)) == {
        bergen_measure,
        energy_measure,
    }


def test_a_request_is_read_by_its_city_its_body_and_the_management(request, bergen_request):
    assert who(request, "state.view_request", bergen_request) == {"contact_bergen", "partner", "manager", "superuser"}
    assert who(request, "state.answer_request", bergen_request) == {"partner", "manager", "superuser"}
    assert who(request, "state.withdraw_request", bergen_request) == {"contact_bergen", "superuser"}
    assert who(request, "state.turn_into_agreement", bergen_request) == {"manager", "superuser"}


def test_the_body_a_request_is_referred_to_reads_it_but_does_not_answer_it(
    request, bergen_request, partner, other_body
):
    services.answer(bergen_request, to_status=StateRequest.Status.REFERRED, by=partner, referred_body=other_body)

    assert who(request, "state.view_request", bergen_request) == {
        "contact_bergen",
        "partner",
        "enova_partner",
        "manager",
        "superuser",
    }
    assert "enova_partner" not in who(request, "state.answer_request", bergen_request)


def test_a_coordinator_who_raised_a_request_on_the_city_s_behalf_reads_and_withdraws_it(
    request, bergen_submitted, bergen_measure, coordinator, instrument
):
    raised = services.ask(
        programme=bergen_submitted,
        measure=bergen_measure,
        body=instrument.body,
        instrument=instrument,
        need="Veiledning",
        needed_by=None,
        by=coordinator,
    )

    assert raised.on_behalf is True
    assert who(request, "state.view_request", raised) == {
        "contact_bergen",
        "coordinator",
        "partner",
        "manager",
        "superuser",
    }
    assert who(request, "state.withdraw_request", raised) == {"contact_bergen", "coordinator", "superuser"}
    # And makes the agreement of an offer, as the management does.
    assert who(request, "state.turn_into_agreement", raised) == {"coordinator", "manager", "superuser"}


def test_only_the_management_sets_when_requests_are_reminded(request):
    assert who(request, "state.set_reminder_steps") == {"manager", "superuser"}


@pytest.mark.parametrize("persona", [*PERSONAS, "superuser"])
def test_the_querysets_agree_with_the_rules(
    request, persona, bergen_request, oslo_request, instrument, other_instrument
):
    user = request.getfixturevalue(persona)
    Instrument.objects.filter(pk=other_instrument.pk).update(active=False)
    requests = [bergen_request, oslo_request]
    instruments = list(Instrument.objects.all())

    assert set(requests_visible_to(user)) == {r for r in requests if user.has_perm("state.view_request", r)}
    assert set(instruments_visible_to(user)) == {i for i in instruments if user.has_perm("state.view_instrument", i)}


def test_the_lookups_answer_404_for_what_is_hidden_and_403_for_what_may_not_be_done(
    contact_oslo, contact_bergen, bergen_request, instrument
):
    with pytest.raises(Http404):
        get_request_for_user(contact_oslo, bergen_request.pk)
    with pytest.raises(PermissionDenied):
        get_request_for_user(contact_bergen, bergen_request.pk, "state.answer_request")
    with pytest.raises(PermissionDenied):
        get_instrument_for_user(contact_bergen, instrument.pk, "state.change_instrument")
    assert get_request_for_user(contact_bergen, bergen_request.pk) == bergen_request


def test_no_one_outside_the_programme_sees_anything(outsider, bergen_request, instrument):
    assert list(requests_visible_to(outsider)) == []
    assert list(instruments_visible_to(outsider)) == []
    assert list(requests_visible_to(AnonymousUser())) == []
