"""The pages: the register, an instrument, asking, the request with its answers, and the lists of requests.
Another city never reads the content of a request; bad input gets a clear message and stores nothing."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from state import services
from state.models import Instrument, StateRequest, StateRequestStatusChange
from tests import factories

Status = StateRequest.Status


def as_(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The register ---------------------------------------------------------------------------------------


def test_the_register_filters_by_theme_and_kind(client, contact_oslo, instrument, other_instrument):
    as_(client, contact_oslo)
    url = reverse("state:register")

    # By body (Enova before KS), then name.
    assert list(client.get(url).context["instruments"]) == [other_instrument, instrument]
    assert list(client.get(url, {"theme": "energy"}).context["instruments"]) == [other_instrument]
    assert list(client.get(url, {"kind": "grant"}).context["instruments"]) == [instrument]
    assert list(client.get(url, {"kind": "grant", "theme": "energy"}).context["instruments"]) == []


@pytest.mark.parametrize("query", [{"kind": "no-such-kind"}, {"theme": "x" * 500}, {"page": "999"}, {"page": "x"}])
def test_the_register_ignores_values_it_does_not_know(client, contact_oslo, instrument, query):
    response = as_(client, contact_oslo).get(reverse("state:register"), query)

    assert response.status_code == 200
    assert list(response.context["instruments"]) == [instrument]


def test_the_register_shows_how_much_an_instrument_is_used_but_not_by_whom(
    client, contact_oslo, bergen_request, instrument
):
    response = as_(client, contact_oslo).get(reverse("state:register"))
    html = response.content.decode()

    assert "1 from 1 city" in html
    assert "Bergen" not in html
    assert bergen_request.need not in html


def test_the_register_is_for_the_programme_s_members(client, outsider):
    assert as_(client, outsider).get(reverse("state:register")).status_code == 403


def test_the_register_links_a_partner_to_the_requests_of_its_body(client, partner, body):
    html = as_(client, partner).get(reverse("state:register")).content.decode()

    assert reverse("state:body_requests", args=[body.pk]) in html


# --- An instrument -----------------------------------------------------------------------------------------


def test_another_city_sees_that_an_instrument_is_used_not_what_was_asked(
    client, contact_oslo, bergen_request, bergen_measure, instrument
):
    response = as_(client, contact_oslo).get(reverse("state:instrument_detail", args=[instrument.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert list(response.context["requests"]) == []
    assert response.context["others"] == {"requests": 1, "cities": 1}
    assert "Other requests for it: 1, from 1 city." in html
    assert bergen_request.need not in html
    assert bergen_measure.title not in html
    assert reverse("state:request_detail", args=[bergen_request.pk]) not in html


def test_the_city_sees_its_own_requests_for_an_instrument(
    client, contact_bergen, bergen_request, bergen_measure, oslo_request, instrument
):
    response = as_(client, contact_bergen).get(reverse("state:instrument_detail", args=[instrument.pk]))
    html = response.content.decode()

    assert list(response.context["requests"]) == [bergen_request]
    assert response.context["others"] == {"requests": 1, "cities": 1}
    assert f"Bergen: {bergen_measure.title}" in html
    assert oslo_request.need not in html


def test_the_body_sees_every_request_for_its_instrument(client, partner, bergen_request, oslo_request, instrument):
    response = as_(client, partner).get(reverse("state:instrument_detail", args=[instrument.pk]))

    assert list(response.context["requests"]) == [oslo_request, bergen_request]  # newest first
    assert response.context["others"] == {"requests": 0, "cities": 0}


def test_another_city_gets_404_for_a_request(client, contact_oslo, bergen_request):
    assert as_(client, contact_oslo).get(reverse("state:request_detail", args=[bergen_request.pk])).status_code == 404


# --- Keeping instruments -------------------------------------------------------------------------------------


def instrument_data(body, **values):
    return {
        "body": body.pk,
        "name_nb": "Veiledning i klimatilpasning",
        "name_en": "",
        "kind": "guidance",
        "offers_nb": "Rådgivning om overvann og flom.",
        "link": "dsb.no/klima",
        "active": "on",
        **values,
    }


def test_a_partner_adds_an_instrument_of_its_body(client, partner, body, atp):
    response = as_(client, partner).post(
        reverse("state:instrument_create"), instrument_data(body, theme_areas=[atp.pk])
    )

    instrument = Instrument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("state:instrument_detail", args=[instrument.pk])
    assert (instrument.body, instrument.link, list(instrument.theme_areas.all())) == (
        body,
        "https://dsb.no/klima",
        [atp],
    )
    assert instrument.history.count() == 1
    # Without an English name, the Norwegian one is shown in English too.
    assert instrument.name == "Veiledning i klimatilpasning"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"link": "http://dsb.no/klima"}, "link", "Enter an address that starts with https://."),
        ({"link": "javascript:alert(1)"}, "link", "Enter an address that starts with https://."),
        ({"name_nb": ""}, "name_nb", "This field is required."),
        ({"kind": "bribe"}, "kind", "Select a valid choice. bribe is not one of the available choices."),
        ({"open_from": "2030-05-01", "open_until": "2030-04-01"}, "open_until", "It must close after it opens."),
        (
            {"open_from": "2030-05-01", "application_deadline": "2030-04-01"},
            "application_deadline",
            "The deadline must be after it opens.",
        ),
        ({"open_from": "20300-05-01"}, "open_from", "Enter a valid date."),
        ({"offers_nb": "x" * 10_001}, "offers_nb", "Ensure this value has at most 10000 characters (it has 10001)."),
    ],
)
def test_bad_input_for_an_instrument_is_explained(client, partner, body, values, field, message):
    response = as_(client, partner).post(reverse("state:instrument_create"), instrument_data(body, **values))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Instrument.objects.count() == 0


def test_a_partner_may_not_add_an_instrument_to_another_body(client, partner, other_body):
    response = as_(client, partner).post(reverse("state:instrument_create"), instrument_data(other_body))

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == ["Choose a body whose instruments you keep."]
    assert Instrument.objects.count() == 0


def test_a_body_has_one_instrument_of_a_name(client, partner, body, instrument):
    response = as_(client, partner).post(
        reverse("state:instrument_create"), instrument_data(body, name_nb=instrument.name_nb)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == ["This body already has an instrument of this name."]


def test_the_partner_of_another_body_may_not_edit_an_instrument(client, enova_partner, instrument):
    url = reverse("state:instrument_update", args=[instrument.pk])

    assert as_(client, enova_partner).get(url).status_code == 403


def test_the_management_edits_any_instrument_and_its_history_is_kept(client, manager, instrument, body):
    response = as_(client, manager).post(
        reverse("state:instrument_update", args=[instrument.pk]),
        instrument_data(body, name_nb="Belønningsordningen", link="https://www.regjeringen.no/ny"),
    )

    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.name_nb == "Belønningsordningen"
    assert [h.name_nb for h in instrument.history.order_by("history_date")] == [
        "Belønningsordningen for kollektivtransport",
        "Belønningsordningen",
    ]


# --- Asking ----------------------------------------------------------------------------------------------------


def ask_data(**values):
    return {
        "measure": "",
        "body": "",
        "instrument": "",
        "need": "Hjelp med innfartsparkering",
        "needed_by": "",
        **values,
    }


def test_a_city_asks_from_its_programme_page(client, contact_oslo, oslo_programme, instrument):
    page = as_(client, contact_oslo).get(reverse("actionplans:programme_detail", args=[oslo_programme.pk]))
    url = reverse("state:request_create", args=[oslo_programme.pk])
    assert f'href="{url}"' in page.content.decode()

    response = client.post(url, ask_data(instrument=instrument.pk, needed_by="2030-06-01"))

    asked = StateRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("state:request_detail", args=[asked.pk])
    assert (asked.body, asked.instrument, asked.measure, asked.needed_by, asked.on_behalf) == (
        instrument.body,
        instrument,
        None,
        datetime.date(2030, 6, 1),
        False,
    )
    assert messages_of(response) == ["The request was sent to KS."]


def test_a_city_asks_from_a_measure(client, contact_oslo, oslo_programme, atp, other_body):
    measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp)
    page = as_(client, contact_oslo).get(reverse("actionplans:measure_update", args=[measure.pk]))
    url = reverse("state:request_create", args=[oslo_programme.pk]) + f"?measure={measure.pk}"
    assert f'href="{url}"' in page.content.decode()

    form = client.get(url).context["form"]
    assert form.initial == {"measure": measure.pk}
    client.post(url, ask_data(measure=measure.pk, body=other_body.pk))

    asked = StateRequest.objects.get()
    assert (asked.measure, asked.body, asked.instrument) == (measure, other_body, None)


def test_a_coordinator_asks_on_the_city_s_behalf(client, coordinator, bergen_submitted, bergen_measure, instrument):
    page = as_(client, coordinator).get(reverse("actionplans:programme_detail", args=[bergen_submitted.pk]))
    assert reverse("state:request_create", args=[bergen_submitted.pk]) in page.content.decode()

    client.post(
        reverse("state:request_create", args=[bergen_submitted.pk]),
        ask_data(measure=bergen_measure.pk, instrument=instrument.pk),
    )

    asked = StateRequest.objects.get()
    assert (asked.raised_by, asked.on_behalf) == (coordinator, True)


def test_no_link_to_ask_for_a_programme_one_may_only_read(client, partner, bergen_submitted):
    page = as_(client, partner).get(reverse("actionplans:programme_detail", args=[bergen_submitted.pk]))

    assert page.status_code == 200
    assert reverse("state:request_create", args=[bergen_submitted.pk]) not in page.content.decode()
    assert client.get(reverse("state:request_create", args=[bergen_submitted.pk])).status_code == 403


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"body": ""}, "body", "Choose the body to ask, or one of its instruments."),
        ({"body": "99999"}, "body", "Choose a state body from the list."),
        ({"body": "x'; drop"}, "body", "Choose a state body from the list."),
        ({"instrument": "99999"}, "instrument", "Choose an instrument from the list."),
        ({"need": ""}, "need", "This field is required."),
        ({"need": "x" * 5_001}, "need", "Ensure this value has at most 5000 characters (it has 5001)."),
        ({"needed_by": "2001-01-01"}, "needed_by", "Choose a date from today on."),
        ({"needed_by": "1999-01-01"}, "needed_by", "Choose a date between 01.01.2000 and 31.12.2100."),
        ({"needed_by": "tomorrow"}, "needed_by", "Enter a valid date."),
    ],
)
def test_bad_input_for_a_request_is_explained(client, contact_oslo, oslo_programme, instrument, values, field, message):
    data = {**ask_data(body=instrument.body_id), **values}

    response = as_(client, contact_oslo).post(reverse("state:request_create", args=[oslo_programme.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert StateRequest.objects.count() == 0


def test_an_instrument_of_another_body_is_refused(client, contact_oslo, oslo_programme, instrument, other_body):
    response = as_(client, contact_oslo).post(
        reverse("state:request_create", args=[oslo_programme.pk]),
        ask_data(body=other_body.pk, instrument=instrument.pk),
    )

    assert response.context["form"].errors["instrument"] == [
        "This instrument is offered by KS: choose that body, or another instrument."
    ]
    assert StateRequest.objects.count() == 0


def test_a_measure_of_another_programme_is_refused(client, contact_oslo, oslo_programme, bergen_measure, instrument):
    response = as_(client, contact_oslo).post(
        reverse("state:request_create", args=[oslo_programme.pk]),
        ask_data(measure=bergen_measure.pk, instrument=instrument.pk),
    )

    assert response.context["form"].errors["measure"] == ["Choose a measure of this action programme."]
    assert StateRequest.objects.count() == 0


def test_a_coordinator_may_not_ask_for_a_measure_of_another_theme(
    client, coordinator, bergen_submitted, energy, instrument
):
    measure = factories.MeasureFactory(programme=bergen_submitted, theme_area=energy)

    response = as_(client, coordinator).post(
        reverse("state:request_create", args=[bergen_submitted.pk]),
        ask_data(measure=measure.pk, instrument=instrument.pk),
    )

    assert response.context["form"].errors["measure"] == ["Choose a measure of this action programme."]
    assert StateRequest.objects.count() == 0


# --- Answering -------------------------------------------------------------------------------------------------


def test_the_body_answers_with_an_offer_in_one_step(client, partner, bergen_request):
    page = as_(client, partner).get(reverse("state:request_detail", args=[bergen_request.pk]))
    assert page.context["offer_form"] is not None and page.context["acknowledge_form"] is not None

    response = client.post(
        reverse("state:request_offer", args=[bergen_request.pk]),
        {"offer-offer": "Tilskudd", "offer-offer_amount": "40 000 000", "offer-offer_from": "2030-03-01"},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["The offer was sent to the city."]
    bergen_request.refresh_from_db()
    assert (bergen_request.status, bergen_request.offer_amount, bergen_request.offer_from) == (
        Status.OFFERED,
        40_000_000,
        datetime.date(2030, 3, 1),
    )
    assert list(bergen_request.status_changes.values_list("to_status", flat=True)) == [
        Status.ASKED,
        Status.ACKNOWLEDGED,
        Status.OFFERED,
    ]
    page = client.get(reverse("state:request_detail", args=[bergen_request.pk]))
    assert page.context["offer_form"] is None  # answered: nothing more to answer


@pytest.mark.parametrize(
    ("url_name", "data", "field", "message"),
    [
        ("state:request_offer", {"offer-offer": ""}, "offer", "This field is required."),
        (
            "state:request_offer",
            {"offer-offer": "Tilskudd", "offer-offer_amount": "-5"},
            "offer_amount",
            "Enter an amount between 0 and 1 000 000 000 000 kroner.",
        ),
        (
            "state:request_offer",
            {"offer-offer": "Tilskudd", "offer-offer_amount": "mange penger"},
            "offer_amount",
            "Enter a number.",
        ),
        (
            "state:request_offer",
            {"offer-offer": "Tilskudd", "offer-offer_amount": "10,5"},
            "offer_amount",
            "Give the amount in whole kroner.",
        ),
        ("state:request_refer", {}, "referred_body", "Name the body the city should turn to."),
        ("state:request_refer", {"refer-referred_body": "abc"}, "referred_body", "Choose a state body from the list."),
        ("state:request_refuse", {"refuse-refusal_reason": ""}, "refusal_reason", "This field is required."),
    ],
)
def test_bad_input_for_an_answer_is_explained(client, partner, bergen_request, url_name, data, field, message):
    response = as_(client, partner).post(reverse(url_name, args=[bergen_request.pk]), data)

    assert response.status_code == 200
    form = next(
        response.context[name]
        for name in ("offer_form", "refer_form", "refuse_form")
        if response.context[name].is_bound
    )
    assert form.errors[field] == [message]
    bergen_request.refresh_from_db()
    assert bergen_request.status == Status.ASKED
    assert bergen_request.status_changes.count() == 1


def test_a_referral_to_another_body_is_shown_to_the_city(client, partner, contact_bergen, bergen_request, other_body):
    as_(client, partner).post(
        reverse("state:request_refer", args=[bergen_request.pk]),
        {"refer-referred_body": other_body.pk, "refer-comment": "Enova har ordningen"},
    )

    html = as_(client, contact_bergen).get(reverse("state:request_detail", args=[bergen_request.pk])).content.decode()
    assert "The city is referred to Enova SF." in html
    assert "Enova har ordningen" in html


def test_an_answer_to_a_request_already_answered_is_refused_with_a_message(client, partner, bergen_request):
    services.answer(bergen_request, to_status=Status.REFUSED, by=partner, refusal_reason="Nei")

    response = as_(client, partner).post(
        reverse("state:request_offer", args=[bergen_request.pk]), {"offer-offer": "Likevel"}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["The status cannot change from “Refused” to “Answered with an offer”."]
    bergen_request.refresh_from_db()
    assert (bergen_request.status, bergen_request.offer) == (Status.REFUSED, "")


def test_the_city_may_not_answer_its_own_request(client, contact_bergen, bergen_request):
    response = as_(client, contact_bergen).post(
        reverse("state:request_offer", args=[bergen_request.pk]), {"offer-offer": "Til oss selv"}
    )

    assert response.status_code == 403
    assert StateRequestStatusChange.objects.filter(request=bergen_request).count() == 1


def test_the_body_acknowledges_and_the_city_withdraws(client, partner, contact_bergen, bergen_request):
    response = as_(client, partner).post(
        reverse("state:request_acknowledge", args=[bergen_request.pk]), {"acknowledge-comment": "Vi ser på det"}
    )
    assert messages_of(response) == ["The request was acknowledged: the city sees that you are looking into it."]
    assert client.post(reverse("state:request_withdraw", args=[bergen_request.pk])).status_code == 403

    response = as_(client, contact_bergen).post(reverse("state:request_withdraw", args=[bergen_request.pk]), {})

    assert messages_of(response) == ["The request was withdrawn."]
    bergen_request.refresh_from_db()
    assert bergen_request.status == Status.WITHDRAWN
    assert list(bergen_request.status_changes.values_list("to_status", "comment")) == [
        (Status.ASKED, ""),
        (Status.ACKNOWLEDGED, "Vi ser på det"),
        (Status.WITHDRAWN, ""),
    ]
    page = client.get(reverse("state:request_detail", args=[bergen_request.pk]))
    assert page.context["withdraw_form"] is None


def test_a_comment_too_long_is_explained(client, partner, bergen_request):
    response = as_(client, partner).post(
        reverse("state:request_acknowledge", args=[bergen_request.pk]), {"acknowledge-comment": "x" * 5_001}
    )

    assert response.status_code == 200
    assert response.context["acknowledge_form"].errors["comment"] == [
        "Ensure this value has at most 5000 characters (it has 5001)."
    ]
    bergen_request.refresh_from_db()
    assert bergen_request.status == Status.ASKED


# --- The lists of requests -------------------------------------------------------------------------------------


def test_a_body_lists_its_open_requests_oldest_first(client, partner, body, bergen_request, oslo_request):
    services.answer(oslo_request, to_status=Status.REFUSED, by=partner, refusal_reason="Nei")
    later = services.ask(
        programme=bergen_request.programme,
        measure=None,
        body=body,
        instrument=None,
        need="Noe annet",
        needed_by=None,
        by=bergen_request.raised_by,
    )
    url = reverse("state:body_requests", args=[body.pk])

    assert list(as_(client, partner).get(url).context["requests"]) == [bergen_request, later]
    assert list(client.get(url, {"status": ""}).context["requests"]) == [bergen_request, oslo_request, later]
    assert list(client.get(url, {"status": "refused"}).context["requests"]) == [oslo_request]
    assert list(client.get(url, {"status": "nonsense"}).context["requests"]) == [bergen_request, oslo_request, later]


def test_a_body_s_requests_are_its_partners_and_the_management_s(client, enova_partner, contact_bergen, manager, body):
    url = reverse("state:body_requests", args=[body.pk])

    assert as_(client, enova_partner).get(url).status_code == 403
    assert as_(client, contact_bergen).get(url).status_code == 403
    assert as_(client, manager).get(url).status_code == 200
    assert client.get(reverse("state:body_requests", args=[99999])).status_code == 404


def test_a_city_lists_its_own_requests_only(client, contact_bergen, contact_oslo, bergen_request, oslo_request):
    url = reverse("state:city_requests", args=["bergen"])

    response = as_(client, contact_bergen).get(url)

    assert list(response.context["requests"]) == [bergen_request]
    assert oslo_request.need not in response.content.decode()
    assert as_(client, contact_oslo).get(url).status_code == 403


# --- Asking the state from a review ---------------------------------------------------------------------------


@pytest.fixture
def reviewed(bergen_submitted, bergen_measure, coordinator, atp):
    """Bergen's land-use review: a comment on the measure, one on the theme, and the measure marked a candidate."""
    from actionplans import services as actionplans_services  # noqa: PLC0415 - the state tests' own services above

    review = actionplans_services.review_for(bergen_submitted, atp)
    actionplans_services.add_comment(review, measure=bergen_measure, text="Søk belønningsmidler", by=coordinator)
    actionplans_services.add_comment(review, measure=None, text="Mer om kollektivtrafikk", by=coordinator)
    actionplans_services.mark_candidate(bergen_measure, kind="long_term_economic", by=coordinator)
    return bergen_submitted


def ask_links(html, programme):
    """The addresses of the "Ask the state about this" links on a page."""
    base = reverse("state:request_create", args=[programme.pk])
    pattern = rf'<a[^>]*href="({re.escape(base)}[^"]*)"[^>]*>Ask the state about this</a>'
    return sorted(re.findall(pattern, html))


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_a_reviewer_asks_the_state_from_a_comment_or_a_candidate(request, client, reviewed, bergen_measure, persona):
    as_(client, request.getfixturevalue(persona))
    base = reverse("state:request_create", args=[reviewed.pk])

    html = client.get(reverse("actionplans:review_detail", args=[reviewed.pk, "atp"])).text

    # Beside the candidate and the comment on the measure, and beside the comment on the theme.
    assert ask_links(html, reviewed) == [
        base,
        f"{base}?measure={bergen_measure.pk}",
        f"{base}?measure={bergen_measure.pk}",
    ]


def test_the_link_opens_the_request_form_for_the_measure_on_the_city_s_behalf(
    client, reviewed, bergen_measure, coordinator, instrument
):
    as_(client, coordinator)
    response = client.get(reverse("state:request_create", args=[reviewed.pk]), {"measure": bergen_measure.pk})

    assert response.status_code == 200
    assert response.context["form"]["measure"].value() == bergen_measure.pk
    client.post(
        reverse("state:request_create", args=[reviewed.pk]),
        {"measure": bergen_measure.pk, "instrument": instrument.pk, "need": "Belønningsmidler til bybanen"},
    )
    raised = StateRequest.objects.get()
    assert (raised.measure, raised.raised_by, raised.on_behalf) == (bergen_measure, coordinator, True)


def test_the_cross_theme_review_offers_the_link_beside_candidates_and_comments(
    client, reviewed, bergen_measure, manager
):
    html = as_(client, manager).get(reverse("actionplans:cross_review", args=[reviewed.pk])).text

    base = reverse("state:request_create", args=[reviewed.pk])
    assert ask_links(html, reviewed) == [f"{base}?measure={bergen_measure.pk}"]


def test_no_link_for_whoever_may_not_ask_on_the_city_s_behalf(client, reviewed, contact_bergen, bergen_measure):
    html = as_(client, contact_bergen).get(reverse("actionplans:programme_detail", args=[reviewed.pk])).text

    assert ask_links(html, reviewed) == []
