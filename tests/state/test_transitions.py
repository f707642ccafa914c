"""The request's status flow as a table: each allowed move is made with its history row, each move not in
the table is refused with its message and nothing stored."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agreements.models import Agreement
from state import services
from state.models import StateRequest, StateRequestStatusChange

Status = StateRequest.Status

ALLOWED = {
    Status.ASKED: [Status.ACKNOWLEDGED, Status.WITHDRAWN],
    Status.ACKNOWLEDGED: [Status.OFFERED, Status.REFERRED, Status.REFUSED, Status.WITHDRAWN],
    Status.OFFERED: [Status.AGREED],
    Status.REFERRED: [],
    Status.REFUSED: [],
    Status.WITHDRAWN: [],
    Status.AGREED: [],
}
# And the move only the portal makes: an offer whose agreement is deleted stands again (tests/state/test_agreement_deleted.py).
TABLE = {**ALLOWED, Status.AGREED: [Status.OFFERED]}
MOVES = [(current, new) for current in Status.values for new in Status.values if new != current]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def make_move(request, new, *, by, other_body, agreement):
    """The service that makes the move to `new`."""
    if new == Status.ACKNOWLEDGED:
        return services.acknowledge(request, by=by)
    if new == Status.WITHDRAWN:
        return services.withdraw(request, by=by)
    if new == Status.OFFERED:
        return services.answer(request, to_status=new, by=by, offer="Tilskudd", offer_amount=1000)
    if new == Status.REFERRED:
        return services.answer(request, to_status=new, by=by, referred_body=other_body)
    if new == Status.REFUSED:
        return services.answer(request, to_status=new, by=by, refusal_reason="Ikke vårt område")
    if new == Status.AGREED:
        return services.turn_into_agreement(request, agreement=agreement, by=by)
    # No service moves a request back to asked; each checks the table as this does.
    return StateRequest.TRANSITIONS.check(request.status, new)


@pytest.fixture
def agreement(manager):
    return Agreement.objects.create(title="Belønningsavtale", kind="long_term_economic", created_by=manager)


def test_the_table_is_the_flow():
    assert {s: StateRequest.TRANSITIONS.next_statuses(s) for s in Status.values} == TABLE
    assert StateRequest.TRANSITIONS.permission(Status.AGREED, Status.OFFERED) == "state.system_move"
    assert StateRequest.TRANSITIONS.permission(Status.ASKED, Status.WITHDRAWN) == "state.withdraw_request"
    assert StateRequest.TRANSITIONS.permission(Status.ACKNOWLEDGED, Status.OFFERED) == "state.answer_request"
    assert StateRequest.TRANSITIONS.permission(Status.OFFERED, Status.AGREED) == "state.turn_into_agreement"


def test_asking_starts_the_history(bergen_request, contact_bergen):
    assert bergen_request.status == Status.ASKED
    assert list(bergen_request.status_changes.values_list("from_status", "to_status", "changed_by")) == [
        ("", Status.ASKED, contact_bergen.pk)
    ]
    assert bergen_request.on_behalf is False


@pytest.mark.parametrize(("current", "new"), MOVES)
def test_each_move_is_made_or_refused_as_the_table_says(bergen_request, manager, other_body, agreement, current, new):
    # A referred request names a body (a check of the database).
    referred_body = other_body if current == Status.REFERRED else None
    StateRequest.objects.filter(pk=bergen_request.pk).update(status=current, referred_body=referred_body)
    StateRequestStatusChange.objects.filter(request=bergen_request).delete()
    bergen_request.refresh_from_db()

    if new in ALLOWED[current]:
        make_move(bergen_request, new, by=manager, other_body=other_body, agreement=agreement)
        bergen_request.refresh_from_db()
        assert bergen_request.status == new
        assert list(bergen_request.status_changes.values_list("from_status", "to_status", "changed_by")) == [
            (current, new, manager.pk)
        ]
    elif current == Status.ASKED and new in (Status.OFFERED, Status.REFERRED, Status.REFUSED):
        # Answering a request not yet acknowledged acknowledges it first: two rows, both in the table.
        make_move(bergen_request, new, by=manager, other_body=other_body, agreement=agreement)
        bergen_request.refresh_from_db()
        assert bergen_request.status == new
        assert list(bergen_request.status_changes.values_list("from_status", "to_status")) == [
            (Status.ASKED, Status.ACKNOWLEDGED),
            (Status.ACKNOWLEDGED, new),
        ]
    else:
        with pytest.raises(ValidationError) as refused:
            make_move(bergen_request, new, by=manager, other_body=other_body, agreement=agreement)
        assert refused.value.code == "not_allowed"
        labels = dict(Status.choices)
        assert refused.value.messages == [f"The status cannot change from “{labels[current]}” to “{labels[new]}”."]
        bergen_request.refresh_from_db()
        assert bergen_request.status == current
        assert bergen_request.status_changes.count() == 0


def test_an_offer_keeps_its_fields_and_the_time_of_the_answer(bergen_request, partner):
    services.answer(
        bergen_request,
        to_status=Status.OFFERED,
        by=partner,
        comment="Gjerne",
        offer="Tilskudd fra ordningen",
        offer_amount=40_000_000,
        offer_conditions="Lokal medfinansiering",
    )
    bergen_request.refresh_from_db()

    assert (bergen_request.offer, bergen_request.offer_amount, bergen_request.offer_conditions) == (
        "Tilskudd fra ordningen",
        40_000_000,
        "Lokal medfinansiering",
    )
    assert bergen_request.answered_at is not None
    assert bergen_request.status_changes.last().comment == "Gjerne"


def test_a_referral_with_only_an_instrument_refers_to_its_body(bergen_request, partner, other_instrument):
    services.answer(bergen_request, to_status=Status.REFERRED, by=partner, referred_instrument=other_instrument)
    bergen_request.refresh_from_db()

    assert (bergen_request.referred_body, bergen_request.referred_instrument) == (
        other_instrument.body,
        other_instrument,
    )


@pytest.mark.parametrize(
    ("answer", "field", "message"),
    [
        ({}, "referred_body", "Name the body the city should turn to."),
        ({"same": True}, "referred_body", "Refer the city to another body, or to another of your instruments."),
        (
            {"mismatch": True},
            "referred_instrument",
            "This instrument is offered by Enova: choose that body, or another instrument.",
        ),
    ],
)
def test_a_referral_that_does_not_fit_is_refused(bergen_request, partner, other_instrument, answer, field, message):
    fields = {}
    if answer.get("same"):
        fields = {"referred_body": bergen_request.body}
    if answer.get("mismatch"):
        fields = {"referred_body": bergen_request.body, "referred_instrument": other_instrument}

    with pytest.raises(ValidationError) as refused:
        services.answer(bergen_request, to_status=Status.REFERRED, by=partner, **fields)

    assert refused.value.message_dict == {field: [message]}
    bergen_request.refresh_from_db()
    assert bergen_request.status == Status.ASKED
    assert bergen_request.status_changes.count() == 1


def test_an_answer_of_another_kind_is_refused(bergen_request, partner):
    with pytest.raises(ValidationError) as refused:
        services.answer(bergen_request, to_status=Status.WITHDRAWN, by=partner)

    assert refused.value.code == "not_an_answer"
