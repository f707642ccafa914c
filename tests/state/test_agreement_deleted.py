"""An agreement made of an offer that is deleted (started by mistake): the request is an offer again, with a row
of history saying why and by whom, in the transaction of the delete; the offer can then become an agreement
again. No view moves a request from "turned into an agreement" back to an offer."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete
from django.urls import reverse

from agreements import services as agreement_services
from agreements.forms import AgreementForm
from agreements.models import Agreement
from state import services
from state.models import StateRequest

Status = StateRequest.Status
TITLE = "Belønningsavtale for Bergen"


def as_(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def offered(bergen_request, partner):
    return services.answer(
        bergen_request,
        to_status=Status.OFFERED,
        by=partner,
        offer="Tilskudd fra ordningen til bybanen",
        offer_amount=40_000_000,
        offer_from=datetime.date(2030, 6, 1),
    )


def make_agreement(request, by, title=TITLE):
    form = AgreementForm({"title": title, "kind": "long_term_economic"}, user=by)
    assert form.is_valid(), form.errors
    return services.make_agreement(request, form, by=by)


@pytest.fixture
def agreed(offered, manager):
    agreement = make_agreement(offered, manager)
    offered.refresh_from_db()
    return offered, agreement


def statuses(request):
    return list(request.status_changes.values_list("from_status", "to_status"))


def test_deleting_the_agreement_makes_the_request_an_offer_again(client, manager, agreed):
    request, agreement = agreed

    response = as_(client, manager).post(reverse("agreements:agreement_delete", args=[agreement.pk]))

    assert response.status_code == 302
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
    request.refresh_from_db()
    assert (request.status, request.agreement) == (Status.OFFERED, None)
    # The offer itself is kept, as it was answered.
    assert (request.offer, request.offer_amount, request.offer_from) == (
        "Tilskudd fra ordningen til bybanen",
        40_000_000,
        datetime.date(2030, 6, 1),
    )
    change = request.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by) == (Status.AGREED, Status.OFFERED, manager)
    assert change.comment == f"The agreement “{TITLE}” made of this offer was deleted; the offer stands again."
    assert statuses(request)[-2:] == [(Status.OFFERED, Status.AGREED), (Status.AGREED, Status.OFFERED)]
    # The request's own history (simple_history) knows who, too.
    assert request.history.first().history_user == manager


def test_the_request_page_shows_why_and_offers_the_agreement_again(client, manager, agreed):
    request, agreement = agreed
    as_(client, manager).post(reverse("agreements:agreement_delete", args=[agreement.pk]))

    page = client.get(reverse("state:request_detail", args=[request.pk])).text

    assert "Turned into an agreement → Answered with an offer" in page
    assert f"The agreement “{TITLE}” made of this offer was deleted; the offer stands again." in page
    assert "Make an agreement from this offer" in page
    assert reverse("agreements:agreement_detail", args=[agreement.pk]) not in page


def test_the_offer_becomes_an_agreement_again(client, manager, agreed):
    request, agreement = agreed
    as_(client, manager).post(reverse("agreements:agreement_delete", args=[agreement.pk]))

    again = make_agreement(request, manager, title="Belønningsavtale for Bergen, riktig")

    request.refresh_from_db()
    assert (request.status, request.agreement) == (Status.AGREED, again)
    assert [to for _from, to in statuses(request)] == [
        Status.ASKED,
        Status.ACKNOWLEDGED,
        Status.OFFERED,
        Status.AGREED,
        Status.OFFERED,
        Status.AGREED,
    ]


def test_deleted_by_the_service_outside_a_web_request_the_portal_made_the_move(client, manager, agreed):
    request, agreement = agreed

    agreement_services.delete_agreement(agreement, by=manager)

    request.refresh_from_db()
    change = request.status_changes.last()
    assert (request.status, change.to_status, change.changed_by) == (Status.OFFERED, Status.OFFERED, None)
    page = as_(client, manager).get(reverse("state:request_detail", args=[request.pk])).text
    assert "(the portal)" in page


def test_a_delete_refused_leaves_the_request_turned_into_the_agreement(client, manager, agreed):
    request, agreement = agreed
    agreement_services.change_status(agreement, to_status="negotiating", comment="", by=manager)

    response = as_(client, manager).post(reverse("agreements:agreement_delete", args=[agreement.pk]))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][-1].startswith("The agreement cannot be deleted")
    request.refresh_from_db()
    assert (request.status, request.agreement) == (Status.AGREED, agreement)
    assert statuses(request)[-1] == (Status.OFFERED, Status.AGREED)


def test_a_delete_that_fails_midway_leaves_the_request_as_it_was(manager, agreed):
    """The move is made in the transaction of the delete: a failure after it undoes both."""
    request, agreement = agreed

    def fail(sender, instance, **kwargs):
        raise RuntimeError("the database went away")

    pre_delete.connect(fail, sender=Agreement, dispatch_uid="test_fail_after_offer_again")
    try:
        with pytest.raises(RuntimeError):
            agreement_services.delete_agreement(agreement, by=manager)
    finally:
        pre_delete.disconnect(sender=Agreement, dispatch_uid="test_fail_after_offer_again")

    assert Agreement.objects.filter(pk=agreement.pk).exists()
    request.refresh_from_db()
    assert (request.status, request.agreement) == (Status.AGREED, agreement)
    assert statuses(request)[-1] == (Status.OFFERED, Status.AGREED)


def test_deleting_another_agreement_leaves_the_request_alone(manager, agreed):
    request, _agreement = agreed
    other = Agreement.objects.create(title="Noe annet", kind="pilot_project", created_by=manager)

    agreement_services.delete_agreement(other, by=manager)

    request.refresh_from_db()
    assert request.status == Status.AGREED
    assert statuses(request)[-1] == (Status.OFFERED, Status.AGREED)


def test_no_answer_moves_a_request_turned_into_an_agreement_back_to_an_offer(client, partner, agreed):
    request, agreement = agreed

    with pytest.raises(ValidationError) as refused:
        services.answer(request, to_status=Status.OFFERED, by=partner, offer="Noe annet")
    response = as_(client, partner).post(
        reverse("state:request_offer", args=[request.pk]), {"offer-offer": "Noe annet"}
    )

    assert refused.value.code == "not_allowed"
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The status cannot change from “Turned into an agreement” to “Answered with an offer”."
    ]
    request.refresh_from_db()
    assert (request.status, request.agreement, request.offer) == (
        Status.AGREED,
        agreement,
        "Tilskudd fra ordningen til bybanen",
    )


def test_no_one_has_the_portals_own_move(request, agreed):
    users = [request.getfixturevalue(n) for n in ("manager", "partner", "contact_bergen", "coordinator")]

    assert [u.has_perm("state.system_move", agreed[0]) for u in users] == [False] * 4
