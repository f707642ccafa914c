"""Deciding a city's request for more time: for another date than the one asked (with the checks
a city's own request meets), and a request still waiting when the city submits its programme."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from actionplans import services
from actionplans.models import ExtensionRequest
from cities.models import Profile
from tests.conftest import upload

OSLO = ZoneInfo("Europe/Oslo")
ASKED = datetime.date(2030, 2, 1)  # the round is due 15.01.2030
Status = ExtensionRequest.Status


@pytest.fixture
def pending(oslo_programme, contact_oslo):
    Profile.objects.create(user=contact_oslo, language="en")
    return services.request_extension(oslo_programme, new_date=ASKED, reason="Bystyret møtes sent", by=contact_oslo)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    return client


def decide(client, request, data, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("actionplans:extension_decide", args=[request.pk]), data)


def at(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def test_the_decision_form_comes_with_the_asked_date(manager_client, pending):
    response = manager_client.get(reverse("actionplans:extension_decide", args=[pending.pk]))

    form = response.context["form"]
    assert form["granted_date"].value() == ASKED
    assert 'name="granted_date" value="2030-02-01"' in response.content.decode()
    assert [value for value, _label in form.fields["decision"].choices] == ["approve", "decline"]


def test_another_date_than_the_one_asked_is_granted_and_told(
    manager_client, pending, oslo_programme, contact_oslo, django_capture_on_commit_callbacks
):
    response = decide(
        manager_client,
        pending,
        {"decision": "approve", "granted_date": "2030-01-25", "comment": "Ti dager holder"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    oslo_programme.refresh_from_db()
    assert (pending.status, pending.requested_date, pending.granted_date) == (
        Status.APPROVED,
        ASKED,
        datetime.date(2030, 1, 25),
    )
    assert oslo_programme.effective_due_date == datetime.date(2030, 1, 25)
    (message,) = mail.outbox
    assert message.to == [contact_oslo.email]
    assert message.subject == "Oslo: more time granted"
    assert (
        "More time was granted, to another date than you asked for (01.02.2030): "
        "the action programme is now due on 25.01.2030 (by the end of the day)."
    ) in message.body
    # The decided list and the city's page say the granted date.
    listed = manager_client.get(reverse("actionplans:extension_list")).content.decode()
    assert "Approved, until 25/01/2030" in listed
    page = manager_client.get(reverse("actionplans:programme_detail", args=[oslo_programme.pk])).content.decode()
    assert "Request for more time until 01/02/2030: granted until 25/01/2030" in page


def test_the_asked_date_granted_says_the_date_once(
    manager_client, pending, contact_oslo, django_capture_on_commit_callbacks
):
    decide(
        manager_client,
        pending,
        {"decision": "approve", "granted_date": "2030-02-01"},
        django_capture_on_commit_callbacks,
    )

    pending.refresh_from_db()
    assert (pending.granted_date, pending.granted_other_date) == (ASKED, False)
    assert "Your request was approved: the action programme is now due on 01.02.2030" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2030-01-15", "Grant a date after the current deadline."),
        ("2030-01-10", "Grant a date after the current deadline."),
        ("2031-01-16", "Grant at most a year more: a date by 15.01.2031."),
        ("2030-13-01", "Enter a valid date."),
    ],
)
def test_a_date_the_checks_refuse_is_told_at_the_field_and_nothing_changes(
    manager_client, pending, oslo_programme, date, message
):
    response = manager_client.post(
        reverse("actionplans:extension_decide", args=[pending.pk]), {"decision": "approve", "granted_date": date}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"granted_date": [message]}
    pending.refresh_from_db()
    oslo_programme.refresh_from_db()
    assert (pending.status, pending.granted_date, oslo_programme.extended_due_date) == (Status.PENDING, None, None)


def test_a_date_that_has_passed_is_refused_while_the_city_still_works(manager_client, manager, pending):
    with time_machine.travel(at(2030, 1, 20, 12), tick=False):
        manager_client.force_login(manager)  # a session of today's would have expired by then
        response = manager_client.post(
            reverse("actionplans:extension_decide", args=[pending.pk]),
            {"decision": "approve", "granted_date": "2030-01-18"},
        )

    assert response.context["form"].errors == {"granted_date": ["Grant a date that has not passed yet."]}


def test_an_approval_with_the_date_left_empty_is_for_the_date_asked(manager_client, pending, oslo_programme):
    response = manager_client.post(
        reverse("actionplans:extension_decide", args=[pending.pk]), {"decision": "approve", "granted_date": ""}
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    oslo_programme.refresh_from_db()
    assert (pending.status, pending.granted_date, oslo_programme.extended_due_date) == (Status.APPROVED, ASKED, ASKED)


def test_a_decline_ignores_the_date_field(manager_client, pending, oslo_programme):
    response = manager_client.post(
        reverse("actionplans:extension_decide", args=[pending.pk]),
        {"decision": "decline", "granted_date": "not a date", "comment": "Nei"},
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.granted_date) == (Status.DECLINED, None)


def test_the_service_checks_the_granted_date_too(pending, manager):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.decide_extension(
            pending, approve=True, granted_date=datetime.date(2029, 12, 1), comment="", by=manager
        )

    assert refused.value.messages == ["Grant a date after the current deadline."]
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_the_service_grants_the_asked_date_by_default(pending, manager, oslo_programme):
    services.decide_extension(pending, approve=True, comment="", by=manager)

    pending.refresh_from_db()
    oslo_programme.refresh_from_db()
    assert pending.granted_date == oslo_programme.extended_due_date == ASKED


# A request still waiting when the city submits


@pytest.fixture
def submitted_late(pending, oslo_programme, contact_oslo):
    """Oslo submitted on 20.01.2030, after the round's deadline, while its request waited."""
    upload(oslo_programme, contact_oslo)
    with time_machine.travel(at(2030, 1, 20, 12), tick=False):
        services.submit_programme(oslo_programme, by=contact_oslo)
    pending.refresh_from_db()
    oslo_programme.refresh_from_db()
    return pending


def test_a_submission_marks_the_waiting_request(submitted_late, oslo_programme):
    assert submitted_late.status == Status.PENDING
    assert submitted_late.submitted_while_pending_at == at(2030, 1, 20, 12)
    assert oslo_programme.submitted_on_time is False


def test_a_submission_leaves_decided_requests_alone(oslo_programme, contact_oslo, manager, pending):
    services.decide_extension(pending, approve=False, comment="", by=manager)
    upload(oslo_programme, contact_oslo)

    services.submit_programme(oslo_programme, by=contact_oslo)

    pending.refresh_from_db()
    assert pending.submitted_while_pending_at is None


def test_the_decider_is_told_on_the_list_and_the_decision_page(manager_client, submitted_late):
    told = "The city submitted on 20/01/2030 12:00 while this request was pending."

    listed = manager_client.get(reverse("actionplans:extension_list")).content.decode()
    page = manager_client.get(reverse("actionplans:extension_decide", args=[submitted_late.pk]))

    assert told in listed
    assert told in page.content.decode()
    assert "You may still approve it: the new date then documents the time the city had" in page.content.decode()
    assert [value for value, _label in page.context["form"].fields["decision"].choices] == [
        "approve",
        "decline",
        "close",
    ]


def test_granting_after_the_submission_documents_it_and_makes_it_on_time(
    manager_client, manager, submitted_late, oslo_programme, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2030, 1, 28, 9), tick=False):
        manager_client.force_login(manager)
        response = decide(
            manager_client,
            submitted_late,
            {"decision": "approve", "granted_date": "2030-01-20"},  # passed, but the city has submitted
            django_capture_on_commit_callbacks,
        )

    assert response.status_code == 302
    oslo_programme.refresh_from_db()
    assert (oslo_programme.extended_due_date, oslo_programme.submitted_on_time) == (datetime.date(2030, 1, 20), True)
    assert oslo_programme.is_submitted
    (decided,) = [m for m in mail.outbox if m.subject == "Oslo: more time granted"]
    assert "The programme you submitted counts as on time." in decided.body


def test_a_grant_that_does_not_reach_the_submission_leaves_it_late(submitted_late, oslo_programme, manager):
    with time_machine.travel(at(2030, 1, 28, 9), tick=False):
        services.decide_extension(
            submitted_late, approve=True, granted_date=datetime.date(2030, 1, 18), comment="", by=manager
        )

    oslo_programme.refresh_from_db()
    assert (oslo_programme.extended_due_date, oslo_programme.submitted_on_time) == (datetime.date(2030, 1, 18), False)


def test_closing_keeps_the_deadline_and_tells_the_city(
    manager_client, submitted_late, oslo_programme, contact_oslo, django_capture_on_commit_callbacks
):
    response = decide(
        manager_client,
        submitted_late,
        {"decision": "close", "granted_date": "2030-02-01", "comment": "Takk for innsendingen"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    submitted_late.refresh_from_db()
    oslo_programme.refresh_from_db()
    assert (submitted_late.status, submitted_late.granted_date) == (Status.CLOSED, None)
    assert (oslo_programme.extended_due_date, oslo_programme.submitted_on_time) == (None, False)
    (message,) = mail.outbox
    assert message.to == [contact_oslo.email]
    assert message.subject == "Oslo: request for more time closed"
    assert (
        "The action programme was submitted on 20.01.2030 while your request for more time was waiting. "
        "The request is closed without more time: the deadline stays 15.01.2030."
    ) in message.body
    listed = manager_client.get(reverse("actionplans:extension_list")).content.decode()
    assert "Closed: the programme was submitted" in listed


def test_a_request_the_city_did_not_submit_under_cannot_be_closed(manager_client, pending, manager):
    response = manager_client.post(reverse("actionplans:extension_decide", args=[pending.pk]), {"decision": "close"})

    assert list(response.context["form"].errors) == ["decision"]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.close_extension_request(pending, comment="", by=manager)
    assert refused.value.messages == ["Only a request whose programme was submitted while it waited can be closed."]
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_a_programme_reopened_since_is_told_and_decided_as_any(manager_client, submitted_late, oslo_programme, manager):
    services.reopen_programme(oslo_programme, by=manager, comment="Mangler vedlegg")

    page = manager_client.get(reverse("actionplans:extension_decide", args=[submitted_late.pk])).content.decode()

    assert "The programme has been reopened since." in page
    assert "The city works on the programme again" in page
    # A date that has passed is refused again: the city works towards it.
    with time_machine.travel(at(2030, 1, 28, 9), tick=False):
        manager_client.force_login(manager)
        response = manager_client.post(
            reverse("actionplans:extension_decide", args=[submitted_late.pk]),
            {"decision": "approve", "granted_date": "2030-01-20"},
        )
    assert response.context["form"].errors == {"granted_date": ["Grant a date that has not passed yet."]}


def test_only_the_programme_management_decides(client, contact_oslo, coordinator, submitted_late):
    for user in (contact_oslo, coordinator):
        client.force_login(user)
        response = client.post(reverse("actionplans:extension_decide", args=[submitted_late.pk]), {"decision": "close"})
        assert response.status_code == 403
    submitted_late.refresh_from_db()
    assert submitted_late.status == Status.PENDING


def test_an_approval_always_has_its_date(pending, manager):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.filter(pk=pending.pk).update(status=Status.APPROVED)
