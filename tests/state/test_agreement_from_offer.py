"""An offer becomes an agreement in one step: on the request's page, whoever may make the agreement opens the
agreement form filled in from the request (the city and the body as parties, the measure, the kind its
instrument's offers become, the offer's amount and start); saving it makes the agreement and turns the
request into it, once. The agreement's page and the pipeline show where it came from."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import AgreementKind, Measure
from agreements.forms import AgreementForm
from agreements.models import Agreement, AgreementStatusChange
from state import services
from state.forms import prefill_agreement
from state.models import AGREEMENT_KINDS, Instrument, StateRequest

Status = StateRequest.Status


def as_(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def offer(request, by):
    return services.answer(
        request,
        to_status=Status.OFFERED,
        by=by,
        offer="Tilskudd fra ordningen til bybanen",
        offer_amount=40_000_000,
        offer_from=datetime.date(2030, 6, 1),
        offer_conditions="Lokal medfinansiering",
    )


@pytest.fixture
def offered(bergen_request, partner):
    return offer(bergen_request, partner)


def url(request):
    return reverse("state:request_agreement", args=[request.pk])


def agreement_data(**values):
    return {"title": "Belønningsavtale for Bergen", "kind": "long_term_economic", **values}


# --- The link on the request's page -------------------------------------------------------------------------


def test_the_request_page_offers_the_agreement_for_an_offer_to_the_management(client, manager, offered):
    page = as_(client, manager).get(reverse("state:request_detail", args=[offered.pk])).text

    assert f'href="{url(offered)}"' in page
    assert "Make an agreement from this offer" in page


@pytest.mark.parametrize("persona", ["partner", "contact_bergen"])
def test_the_body_and_the_city_are_not_offered_the_agreement(request, client, offered, persona):
    page = as_(client, request.getfixturevalue(persona)).get(reverse("state:request_detail", args=[offered.pk])).text

    assert "Make an agreement from this offer" not in page


def test_a_request_without_an_offer_is_not_offered_the_agreement(client, manager, bergen_request):
    page = as_(client, manager).get(reverse("state:request_detail", args=[bergen_request.pk])).text

    assert "Make an agreement from this offer" not in page


# --- The form, filled in ------------------------------------------------------------------------------------


def test_the_form_is_filled_in_from_the_request(client, manager, offered, bergen, body, bergen_measure, atp):
    response = as_(client, manager).get(url(offered))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "The reward scheme for public transport – Bergen"
    assert form.initial["kind"] == AgreementKind.LONG_TERM_ECONOMIC
    assert form.initial["cities"] == [bergen.pk]
    assert form.initial["organisations"] == [body.pk]
    assert form.initial["measures"] == [bergen_measure.pk]
    assert form.initial["theme_areas"] == [atp.pk]
    assert form.initial["value"] == 40_000_000
    assert form.initial["period_start"] == datetime.date(2030, 6, 1)
    assert form.initial["description"] == "Tilskudd fra ordningen til bybanen\n\nConditions:\nLokal medfinansiering"
    assert response.context["measure_left_out"] is False
    assert f'action="{url(offered)}"' in response.text
    assert "Filled in from the offer of" in response.text
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(("kind", "agreement_kind"), list(AGREEMENT_KINDS.items()))
def test_the_kind_is_guessed_from_the_instrument(client, manager, offered, instrument, kind, agreement_kind):
    Instrument.objects.filter(pk=instrument.pk).update(kind=kind)

    form = as_(client, manager).get(url(offered)).context["form"]

    assert form.initial["kind"] == agreement_kind


def test_every_kind_of_instrument_has_a_kind_of_agreement():
    assert set(AGREEMENT_KINDS) == set(Instrument.Kind)
    assert set(AGREEMENT_KINDS.values()) <= set(AgreementKind)


def test_without_an_instrument_the_title_is_the_need_and_the_kind_the_candidacy(
    client, manager, bergen_submitted, bergen_measure, contact_bergen, body, partner
):
    Measure.objects.filter(pk=bergen_measure.pk).update(candidate_kind=AgreementKind.PILOT_PROJECT)
    request = services.ask(
        programme=bergen_submitted,
        measure=bergen_measure,
        body=body,
        instrument=None,
        need="\n  Rådgivning om innfartsparkering\nog mer til",
        needed_by=None,
        by=contact_bergen,
    )
    offer(request, partner)

    form = as_(client, manager).get(url(request)).context["form"]

    assert form.initial["title"] == "Rådgivning om innfartsparkering – Bergen"
    assert form.initial["kind"] == AgreementKind.PILOT_PROJECT


def test_a_long_need_makes_a_title_that_fits(manager, bergen_request, partner):
    bergen_request.instrument = None
    bergen_request.need = "Å" * 5000

    form = AgreementForm(user=manager)
    prefill_agreement(form, bergen_request)

    assert len(form.initial["title"]) == 200
    assert form.initial["title"].endswith("… – Bergen")


def test_a_measure_not_submitted_is_left_out_with_a_warning(
    client, manager, oslo_programme, contact_oslo, instrument, partner, atp
):
    draft_measure = Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Flere busser")
    request = services.ask(
        programme=oslo_programme,
        measure=draft_measure,
        body=instrument.body,
        instrument=instrument,
        need="Busser",
        needed_by=None,
        by=contact_oslo,
    )
    offer(request, partner)

    response = as_(client, manager).get(url(request))

    assert response.context["measure_left_out"] is True
    assert "The measure “Flere busser” cannot be linked to an agreement" in response.text
    form = response.context["form"]
    assert "measures" not in form.initial
    assert form.initial["theme_areas"] == [atp.pk]
    assert form.initial["cities"] == [oslo_programme.city_id]


# --- Saving -------------------------------------------------------------------------------------------------


def test_saving_makes_the_agreement_and_turns_the_request_into_it(
    client, manager, offered, bergen, body, bergen_measure, atp
):
    data = agreement_data(
        cities=[bergen.pk],
        organisations=[body.pk],
        measures=[bergen_measure.pk],
        theme_areas=[atp.pk],
        value="40000000",
    )

    response = as_(client, manager).post(url(offered), data)

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:agreement_detail", args=[agreement.pk])
    assert messages_of(response) == ["The agreement was proposed; the request is marked as turned into it."]
    assert (agreement.title, agreement.status, agreement.value, agreement.created_by) == (
        "Belønningsavtale for Bergen",
        Agreement.Status.IDENTIFIED,
        40_000_000,
        manager,
    )
    assert {(p.city_id, p.organisation_id) for p in agreement.parties.all()} == {(bergen.pk, None), (None, body.pk)}
    assert list(agreement.measures.all()) == [bergen_measure]
    assert AgreementStatusChange.objects.filter(agreement=agreement, to_status="identified").count() == 1
    offered.refresh_from_db()
    assert (offered.status, offered.agreement) == (Status.AGREED, agreement)
    change = offered.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by) == (Status.OFFERED, Status.AGREED, manager)


def test_an_offer_becomes_one_agreement_only(client, manager, offered):
    as_(client, manager)
    client.post(url(offered), agreement_data())

    again = client.post(url(offered), agreement_data(title="En til"))
    page = client.get(url(offered))

    assert Agreement.objects.count() == 1
    assert again.status_code == 302
    assert again["Location"] == reverse("state:request_detail", args=[offered.pk])
    assert messages_of(page)[-1] == "This offer has already become an agreement."


def test_of_two_saving_at_once_the_second_makes_no_agreement(manager, offered):
    first, second = (AgreementForm(agreement_data(title=t), user=manager) for t in ("Først", "Nummer to"))
    assert first.is_valid() and second.is_valid()
    stale = StateRequest.objects.get(pk=offered.pk)  # the second read the request before the first saved

    services.make_agreement(offered, first, by=manager)
    with pytest.raises(ValidationError):
        services.make_agreement(stale, second, by=manager)

    assert list(Agreement.objects.values_list("title", flat=True)) == ["Først"]


def test_a_form_with_errors_is_shown_again_and_stores_nothing(client, manager, offered):
    response = as_(client, manager).post(url(offered), agreement_data(title="", value="mange penger"))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "value"}
    assert not Agreement.objects.exists()
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED


@pytest.mark.parametrize("answer", ["asked", "refused"])
def test_only_an_offer_becomes_an_agreement(client, manager, partner, bergen_request, answer):
    if answer == "refused":
        services.answer(bergen_request, to_status=Status.REFUSED, by=partner, refusal_reason="Nei")
    as_(client, manager)

    for response in (client.get(url(bergen_request)), client.post(url(bergen_request), agreement_data())):
        assert response.status_code == 302
        assert response["Location"] == reverse("state:request_detail", args=[bergen_request.pk])
    assert not Agreement.objects.exists()
    assert messages_of(client.get(reverse("state:request_detail", args=[bergen_request.pk]))) == [
        "Only a request answered with an offer can become an agreement.",
        "Only a request answered with an offer can become an agreement.",
    ]


# --- Who may ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("partner", 403), ("contact_bergen", 403), ("contact_oslo", 404), ("coordinator", 404), ("outsider", 404)],
)
def test_who_may_not_make_the_agreement(request, client, offered, persona, status):
    as_(client, request.getfixturevalue(persona))

    assert client.get(url(offered)).status_code == status
    assert client.post(url(offered), agreement_data()).status_code == status
    assert not Agreement.objects.exists()
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED


def test_the_coordinator_who_raised_the_request_makes_the_agreement_in_its_theme(
    client, coordinator, bergen_submitted, bergen_measure, instrument, partner, atp, bergen, body
):
    request = services.ask(
        programme=bergen_submitted,
        measure=bergen_measure,
        body=instrument.body,
        instrument=instrument,
        need="Bybane",
        needed_by=None,
        by=coordinator,
    )
    offer(request, partner)
    as_(client, coordinator)

    page = client.get(reverse("state:request_detail", args=[request.pk])).text
    form = client.get(url(request)).context["form"]
    response = client.post(
        url(request), agreement_data(theme_areas=[atp.pk], cities=[bergen.pk], organisations=[body.pk])
    )

    assert "Make an agreement from this offer" in page
    assert form.initial["theme_areas"] == [atp.pk]
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.AGREED
    assert request.agreement.created_by == coordinator


# --- Where the agreement came from ----------------------------------------------------------------------


def test_the_agreement_page_links_the_request_it_came_from(client, manager, offered, contact_bergen):
    as_(client, manager).post(url(offered), agreement_data(cities=[offered.programme.city_id]))
    agreement = Agreement.objects.get()

    page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).text
    city_page = as_(client, contact_bergen).get(reverse("agreements:agreement_detail", args=[agreement.pk])).text

    link = f'<a href="{reverse("state:request_detail", args=[offered.pk])}">From the request of Bergen to KS</a>'
    assert link in page
    assert link in city_page  # Bergen is a party, and reads its own request


def test_a_party_that_may_not_read_the_request_sees_where_it_came_from_without_a_link(
    client, manager, offered, enova_partner, other_body
):
    as_(client, manager).post(url(offered), agreement_data(organisations=[other_body.pk]))
    agreement = Agreement.objects.get()

    page = as_(client, enova_partner).get(reverse("agreements:agreement_detail", args=[agreement.pk])).text

    assert "From the request of Bergen to KS" in page
    assert reverse("state:request_detail", args=[offered.pk]) not in page


def test_an_agreement_not_from_a_request_says_nothing_of_one(client, manager, atp):
    agreement = Agreement.objects.create(title="Rammeavtale", kind="framework", created_by=manager)

    page = as_(client, manager).get(reverse("agreements:agreement_detail", args=[agreement.pk])).text
    pipeline = client.get(reverse("agreements:pipeline")).text

    assert "From the request of" not in page
    assert "from a request" not in pipeline


def test_the_pipeline_marks_the_agreements_from_requests(client, manager, offered):
    Agreement.objects.create(title="Annen avtale", kind="framework", created_by=manager)
    as_(client, manager).post(url(offered), agreement_data())

    page = client.get(reverse("agreements:pipeline")).text

    assert page.count("from a request") == 1
    assert '>Belønningsavtale for Bergen</a> <span class="badge text-bg-light border">from a request</span>' in page
    assert ">Annen avtale</a><div" in page


def test_the_pipeline_costs_the_same_for_one_and_three_agreements_from_requests(
    client, manager, bergen_submitted, contact_bergen, instrument, partner
):
    as_(client, manager)

    def add():
        request = services.ask(
            programme=bergen_submitted,
            measure=None,
            body=instrument.body,
            instrument=instrument,
            need="Hjelp",
            needed_by=None,
            by=contact_bergen,
        )
        offer(request, partner)
        client.post(url(request), agreement_data(cities=[bergen_submitted.city_id]))

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("agreements:pipeline")).text
        return len(queries), page.count("from a request")

    add()
    one, marked_one = count()
    add()
    add()
    three, marked_three = count()

    assert (marked_one, marked_three) == (1, 3)
    assert one == three


def test_a_city_sees_its_agreement_from_a_request_marked_in_the_pipeline(client, manager, offered, contact_bergen):
    as_(client, manager).post(url(offered), agreement_data(cities=[offered.programme.city_id]))

    page = as_(client, contact_bergen).get(reverse("agreements:pipeline")).text

    assert page.count("from a request") == 1
