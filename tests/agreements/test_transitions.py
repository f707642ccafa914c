"""The agreement pipeline as a table: each allowed move works, a move not in it is refused
with its message and nothing stored, and the status form offers only the allowed moves."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from agreements import services
from agreements.models import Agreement, AgreementStatusChange


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in the source language (the interface's default is Norwegian)."""
    with translation.override("en"):
        yield


Status = Agreement.Status

ALLOWED = {
    Status.IDENTIFIED: [Status.IN_PREPARATION, Status.NEGOTIATING, Status.SIGNED, Status.DROPPED],
    Status.IN_PREPARATION: [Status.IDENTIFIED, Status.NEGOTIATING, Status.SIGNED, Status.DROPPED],
    Status.NEGOTIATING: [Status.IDENTIFIED, Status.IN_PREPARATION, Status.SIGNED, Status.DROPPED],
    Status.SIGNED: [Status.ACTIVE, Status.COMPLETED, Status.DROPPED],
    Status.ACTIVE: [Status.COMPLETED, Status.DROPPED],
    Status.COMPLETED: [],
    Status.DROPPED: [Status.IDENTIFIED],
}
MOVES = [(current, new) for current in Status.values for new in Status.values if new != current]


@pytest.fixture
def agreement(manager, atp, bergen):
    agreement = Agreement.objects.create(title="Belønningsordning", kind="long_term_economic", created_by=manager)
    agreement.theme_areas.set([atp])
    services.set_parties(agreement, cities=[bergen], organisations=[])
    return agreement


def test_the_table_is_the_pipeline():
    assert {s: Agreement.TRANSITIONS.next_statuses(s) for s in Status.values} == ALLOWED
    assert {Agreement.TRANSITIONS.permission(c, n) for c, row in ALLOWED.items() for n in row} == {
        "agreements.change_status"
    }


@pytest.mark.parametrize(("current", "new"), MOVES)
def test_each_move_is_made_or_refused_as_the_table_says(agreement, manager, current, new):
    Agreement.objects.filter(pk=agreement.pk).update(status=current)

    if new in ALLOWED[current]:
        services.change_status(agreement, to_status=new, comment="", by=manager)
        agreement.refresh_from_db()
        assert agreement.status == new
        assert list(agreement.status_changes.values_list("from_status", "to_status")) == [(current, new)]
    else:
        with pytest.raises(ValidationError) as refused:
            services.change_status(agreement, to_status=new, comment="", by=manager)
        assert refused.value.code == "not_allowed"
        labels = dict(Status.choices)
        assert refused.value.messages == [f"The status cannot change from “{labels[current]}” to “{labels[new]}”."]
        agreement.refresh_from_db()
        assert agreement.status == current
        assert agreement.status_changes.count() == 0


def test_a_completed_agreement_is_not_moved_back_from_the_page(client, manager, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.COMPLETED)
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("agreements:agreement_status", args=[agreement.pk]), {"to_status": "identified"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The status cannot change from “Completed” to “Identified”."
    ]
    agreement.refresh_from_db()
    assert agreement.status == Status.COMPLETED
    assert AgreementStatusChange.objects.filter(agreement=agreement).count() == 0
    # Its page offers no move at all.
    page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    assert page.context["status_form"] is None


def test_a_dropped_agreement_is_reopened_as_identified(client, manager, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.DROPPED)
    client.force_login(manager)

    response = client.post(reverse("agreements:agreement_status", args=[agreement.pk]), {"to_status": "identified"})

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Status.IDENTIFIED
    assert list(agreement.status_changes.values_list("from_status", "to_status")) == [
        (Status.DROPPED, Status.IDENTIFIED)
    ]


def test_the_status_form_offers_only_the_allowed_moves(client, manager, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.SIGNED)
    client.force_login(manager)

    form = client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).context["status_form"]

    assert [value for value, _label in form.fields["to_status"].widget.choices] == [
        "",  # "Choose the new status": nothing is chosen until the user chooses
        Status.ACTIVE,
        Status.COMPLETED,
        Status.DROPPED,
    ]
