"""The status tables of programmes, reviews and extension requests: each allowed move works,
a move not in its table is refused with its message and nothing stored."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from actionplans import services
from actionplans.models import ActionProgramme, ExtensionRequest, Review, StatusChange


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in the source language (the interface's default is Norwegian)."""
    with translation.override("en"):
        yield


PS, RS, ES = ActionProgramme.Status, Review.Status, ExtensionRequest.Status


def refusal(statuses, current, new):
    labels = dict(statuses.choices)
    return [f"The status cannot change from “{labels[current]}” to “{labels[new]}”."]


def test_the_tables():
    assert {s: ActionProgramme.TRANSITIONS.next_statuses(s) for s in PS.values} == {
        PS.NOT_STARTED: [PS.DRAFT, PS.SUBMITTED],
        PS.DRAFT: [PS.SUBMITTED],
        PS.SUBMITTED: [PS.DRAFT],
    }
    assert ActionProgramme.TRANSITIONS.permission(PS.SUBMITTED, PS.DRAFT) == "actionplans.reopen_programme"
    assert ActionProgramme.TRANSITIONS.permission(PS.DRAFT, PS.SUBMITTED) == "actionplans.submit_programme"
    assert {s: Review.TRANSITIONS.next_statuses(s) for s in RS.values} == {
        RS.NOT_STARTED: [RS.IN_PROGRESS, RS.COMMENTS_SENT, RS.COMPLETED],
        RS.IN_PROGRESS: [RS.COMMENTS_SENT, RS.COMPLETED],
        RS.COMMENTS_SENT: [RS.COMPLETED],
        RS.COMPLETED: [RS.COMMENTS_SENT, RS.OUTDATED],
        RS.OUTDATED: [RS.IN_PROGRESS, RS.COMMENTS_SENT, RS.COMPLETED],
    }
    assert {s: ExtensionRequest.TRANSITIONS.next_statuses(s) for s in ES.values} == {
        ES.PENDING: [ES.APPROVED, ES.DECLINED, ES.CLOSED],
        ES.APPROVED: [],
        ES.DECLINED: [],
        ES.CLOSED: [],
    }


def test_a_programme_move_not_in_the_table_is_refused(oslo_programme, contact_oslo):
    with pytest.raises(ValidationError) as refused:
        services._change_status(oslo_programme, PS.NOT_STARTED, by=contact_oslo)

    assert refused.value.messages == refusal(PS, PS.NOT_STARTED, PS.NOT_STARTED)
    oslo_programme.refresh_from_db()
    assert oslo_programme.status == PS.NOT_STARTED
    assert StatusChange.objects.count() == 0


def test_the_programme_moves_of_the_table_work(oslo_draft, contact_oslo, manager):
    programme = oslo_draft.programme
    services.submit_programme(programme, by=contact_oslo)
    services.reopen_programme(programme, by=manager, comment="Mangler tiltak")

    assert list(programme.status_changes.values_list("from_status", "to_status")) == [
        (PS.NOT_STARTED, PS.DRAFT),
        (PS.DRAFT, PS.SUBMITTED),
        (PS.SUBMITTED, PS.DRAFT),
    ]


@pytest.fixture
def review(bergen_submitted, atp):
    return services.review_for(bergen_submitted, atp)


@pytest.mark.parametrize(
    ("current", "new"),
    [(RS.COMMENTS_SENT, RS.IN_PROGRESS), (RS.COMPLETED, RS.IN_PROGRESS), (RS.IN_PROGRESS, RS.NOT_STARTED)],
)
def test_a_review_move_not_in_the_table_is_refused(review, coordinator, current, new):
    Review.objects.filter(pk=review.pk).update(status=current, assessment="Før")

    with pytest.raises(ValidationError) as refused:
        services.update_review(review, assessment="Etter", status=new, by=coordinator)

    assert refused.value.messages == refusal(RS, current, new)
    review.refresh_from_db()
    assert (review.status, review.assessment) == (current, "Før")
    assert review.status_changes.count() == 0


def test_the_review_moves_of_the_table_work(review, coordinator):
    for status in (RS.IN_PROGRESS, RS.COMMENTS_SENT, RS.COMPLETED, RS.COMMENTS_SENT, RS.COMPLETED):
        services.update_review(review, assessment="", status=status, by=coordinator)

    assert list(review.status_changes.values_list("to_status", flat=True)) == [
        RS.IN_PROGRESS,
        RS.COMMENTS_SENT,
        RS.COMPLETED,
        RS.COMMENTS_SENT,
        RS.COMPLETED,
    ]


def test_the_review_form_offers_only_the_allowed_moves_and_refuses_the_others(client, coordinator, review, atp):
    Review.objects.filter(pk=review.pk).update(status=RS.COMMENTS_SENT)
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("actionplans:review_detail", args=[review.programme_id, atp.code])

    form = client.get(url).context["review_form"]
    assert [v for v, _label in form.fields["status"].widget.choices] == [RS.COMMENTS_SENT, RS.COMPLETED]

    save = reverse("actionplans:review_save", args=[review.programme_id, atp.code])
    response = client.post(save, {"assessment": "Trukket tilbake", "status": RS.IN_PROGRESS}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The review was not saved: The status cannot change from “Comments sent” to “Review in progress”."
    ]
    review.refresh_from_db()
    assert (review.status, review.assessment) == (RS.COMMENTS_SENT, "")


def test_a_decided_extension_request_is_not_decided_again(oslo_programme, contact_oslo, manager):
    request = services.request_extension(
        oslo_programme, new_date=oslo_programme.effective_due_date.replace(day=28), reason="Valg", by=contact_oslo
    )
    services.decide_extension(request, approve=False, comment="", by=manager)

    with pytest.raises(ValidationError) as refused:
        services.decide_extension(request, approve=True, comment="", by=manager)

    assert refused.value.code == "decided"
    request.refresh_from_db()
    assert request.status == ES.DECLINED
    assert ExtensionRequest.TRANSITIONS.allows(ES.DECLINED, ES.APPROVED) is False
