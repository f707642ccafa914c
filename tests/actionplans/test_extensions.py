import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actionplans import notifications, services
from actionplans.models import ActionProgramme, DeadlineExtension, ExtensionRequest, ReminderStep, StatusChange
from cities.models import Profile
from tests.conftest import upload
from tests.outbox.helpers import delivering, lose_what_waits_for_the_commit

OSLO = ZoneInfo("Europe/Oslo")


def post(client, name, pk, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse(name, args=[pk]), data)


def test_city_asks_for_more_time_and_management_is_mailed(
    client, contact_oslo, oslo_programme, manager, django_capture_on_commit_callbacks
):
    client.force_login(contact_oslo)

    response = post(
        client,
        "actionplans:extension_request",
        oslo_programme.pk,
        {"new_date": "2030-02-01", "reason": "Bystyret behandler planen 28. januar"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    request = ExtensionRequest.objects.get()
    assert (request.programme, request.requested_date, request.status, request.requested_by) == (
        oslo_programme,
        datetime.date(2030, 2, 1),
        "pending",
        contact_oslo,
    )
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert mail.outbox[0].subject == "Oslo ber om mer tid"
    assert "01.02.2030" in mail.outbox[0].body
    assert request.pk and ExtensionRequest.objects.get().request_notified_at is not None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"new_date": "2030-01-10", "reason": "x"}, "new_date"),  # before the deadline
        ({"new_date": "15.13.2030", "reason": "x"}, "new_date"),
        ({"new_date": "2030-02-01", "reason": ""}, "reason"),
    ],
)
def test_extension_request_bad_input(client, contact_oslo, oslo_programme, data, field):
    client.force_login(contact_oslo)

    response = client.post(reverse("actionplans:extension_request", args=[oslo_programme.pk]), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert ExtensionRequest.objects.count() == 0


def test_second_pending_request_is_refused(client, contact_oslo, oslo_programme):
    services.request_extension(oslo_programme, new_date=datetime.date(2030, 2, 1), reason="a", by=contact_oslo)
    client.force_login(contact_oslo)

    response = client.post(
        reverse("actionplans:extension_request", args=[oslo_programme.pk]), {"new_date": "2030-03-01", "reason": "b"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ExtensionRequest.objects.count() == 1


def test_approval_gives_the_city_its_own_deadline_and_mails_it(
    client, manager, contact_oslo, oslo_programme, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=contact_oslo, language="en")
    request = services.request_extension(
        oslo_programme, new_date=datetime.date(2030, 2, 1), reason="Valg", by=contact_oslo
    )
    mail.outbox.clear()
    client.force_login(manager)

    response = post(
        client,
        "actionplans:extension_decide",
        request.pk,
        {"decision": "approve", "granted_date": "2030-02-01", "comment": "Greit"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    request.refresh_from_db()
    oslo_programme.refresh_from_db()
    assert (request.status, request.decided_by, request.comment) == ("approved", manager, "Greit")
    assert oslo_programme.extended_due_date == datetime.date(2030, 2, 1)
    assert oslo_programme.effective_due_date == datetime.date(2030, 2, 1)
    assert [m.to for m in mail.outbox] == [[contact_oslo.email]]
    assert mail.outbox[0].subject == "Oslo: more time granted"
    assert "01.02.2030" in mail.outbox[0].body


def test_submission_uses_the_citys_own_deadline(contact_oslo, manager, oslo_programme):
    request = services.request_extension(
        oslo_programme, new_date=datetime.date(2030, 2, 1), reason="Valg", by=contact_oslo
    )
    services.decide_extension(request, approve=True, comment="", by=manager)
    upload(oslo_programme, contact_oslo)

    with time_machine.travel(datetime.datetime(2030, 1, 31, 12, 0, tzinfo=OSLO), tick=False):
        services.submit_programme(oslo_programme, by=contact_oslo)

    oslo_programme.refresh_from_db()
    assert oslo_programme.submitted_on_time is True


def test_declined_request_keeps_the_deadline(client, manager, contact_oslo, oslo_programme):
    request = services.request_extension(
        oslo_programme, new_date=datetime.date(2030, 2, 1), reason="x", by=contact_oslo
    )
    client.force_login(manager)

    client.post(reverse("actionplans:extension_decide", args=[request.pk]), {"decision": "decline", "comment": "Nei"})

    request.refresh_from_db()
    oslo_programme.refresh_from_db()
    assert (request.status, oslo_programme.extended_due_date) == ("declined", None)
    # A decided request cannot be decided again.
    response = client.post(reverse("actionplans:extension_decide", args=[request.pk]), {"decision": "approve"})
    request.refresh_from_db()
    assert (response.status_code, request.status) == (200, "declined")


def test_decision_without_choice_shows_error(client, manager, contact_oslo, oslo_programme):
    request = services.request_extension(
        oslo_programme, new_date=datetime.date(2030, 2, 1), reason="x", by=contact_oslo
    )
    client.force_login(manager)

    response = client.post(reverse("actionplans:extension_decide", args=[request.pk]), {"decision": "maybe"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["decision"]


def test_management_moves_the_round_deadline_with_history(client, manager, round_):
    client.force_login(manager)

    response = client.post(
        reverse("actionplans:round_extend", args=[round_.pk]),
        {"new_date": "2030-01-31", "reason": "Koordineringsgruppen 16.12"},
    )

    assert response.status_code == 302
    round_.deadline.refresh_from_db()
    assert round_.deadline.due_date == datetime.date(2030, 1, 31)
    extension = DeadlineExtension.objects.get()
    assert (extension.old_date, extension.new_date, extension.reason, extension.decided_by) == (
        datetime.date(2030, 1, 15),
        datetime.date(2030, 1, 31),
        "Koordineringsgruppen 16.12",
        manager,
    )
    page = client.get(reverse("actionplans:round_detail", args=[round_.pk]))
    assert "15.01.2030" in page.text and "31.01.2030" in page.text


def test_moving_the_deadline_to_the_same_date_is_refused(client, manager, round_):
    client.force_login(manager)

    response = client.post(
        reverse("actionplans:round_extend", args=[round_.pk]), {"new_date": "2030-01-15", "reason": "x"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_date"]
    assert DeadlineExtension.objects.count() == 0


def test_new_deadline_has_default_steps(round_):
    assert list(round_.deadline.reminder_steps.values_list("offset_days", flat=True)) == [-14, -7, -2, 0, 1, 7]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-10, -3,0, 3", [-10, -3, 0, 3]), ("7;-7", [-7, 7]), ("", None), ("-3, tre", None), ("400", None)],
)
def test_reminder_steps_form(client, manager, round_, text, expected):
    client.force_login(manager)

    response = client.post(reverse("actionplans:round_steps", args=[round_.pk]), {"offsets": text})

    steps = list(ReminderStep.objects.filter(deadline=round_.deadline).values_list("offset_days", flat=True))
    if expected is None:
        assert response.status_code == 200
        assert steps == [-14, -7, -2, 0, 1, 7]
    else:
        assert response.status_code == 302
        assert steps == expected


def test_submission_mails_coordinators_and_management_once(
    contact_oslo, coordinator, manager, partner, oslo_programme, django_capture_on_commit_callbacks
):
    upload(oslo_programme, contact_oslo)

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_programme(oslo_programme, by=contact_oslo)

    received = [
        m for m in mail.outbox if m.subject == "Oslo har sendt inn handlingsprogrammet for Handlingsprogram 2030"
    ]
    assert sorted(m.to[0] for m in received) == sorted([coordinator.email, manager.email])
    assert [m.to[0] for m in mail.outbox if m not in received] == [contact_oslo.email]  # the city's receipt
    change = StatusChange.objects.get(to_status=ActionProgramme.Status.SUBMITTED)
    # The task run again (at least once delivery) sends nothing more.
    from actionplans import tasks

    tasks.notify_submission(change.pk)
    assert len(mail.outbox) == 3


def test_sweep_sends_event_mails_whose_task_never_ran(contact_oslo, manager, oslo_programme):
    from actionplans import notifications

    upload(oslo_programme, contact_oslo)
    services.submit_programme(oslo_programme, by=contact_oslo)
    lose_what_waits_for_the_commit()
    assert mail.outbox == []

    with time_machine.travel(datetime.timedelta(minutes=5)), delivering():  # the outbox sends after the commit
        notifications.send_missed()
        notifications.send_missed()

    # The management's notice, and the city's receipt (queued with the submission) with it.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, contact_oslo.email])


def test_decided_requests_are_listed_fifty_a_page_newest_first(client, manager, contact_oslo, oslo_programme):
    for n in range(55):
        ExtensionRequest.objects.create(
            programme=oslo_programme,
            requested_date=datetime.date(2030, 2, 1),
            reason=f"Grunn {n}",
            requested_by=contact_oslo,
            status=ExtensionRequest.Status.DECLINED,
            decided_by=manager,
            decided_at=timezone.now() + datetime.timedelta(minutes=n),
            comment=f"Avslag {n}",
        )
    client.force_login(manager)

    first = client.get(reverse("actionplans:extension_list"))
    second = client.get(reverse("actionplans:extension_list"), {"page": 2})

    assert [r.comment for r in first.context["page"]] == [f"Avslag {n}" for n in range(54, 4, -1)]
    assert [r.comment for r in second.context["page"]] == [f"Avslag {n}" for n in range(4, -1, -1)]
    assert 'href="?page=2"' in first.content.decode()


def test_a_moved_deadline_is_announced_to_the_contacts_of_every_city_it_concerns(
    client, manager, round_, oslo_programme, bergen_programme, contact_oslo, contact_bergen, oslo, mailoutbox
):
    """Bergen has a later date of its own, so the round's move does not concern it."""
    Profile.objects.create(user=contact_oslo, language="en")
    bergen_programme.extended_due_date = datetime.date(2030, 3, 1)
    bergen_programme.save(update_fields=["extended_due_date"])
    client.force_login(manager)

    with delivering():
        response = client.post(
            reverse("actionplans:round_extend", args=[round_.pk]),
            {"new_date": "2030-01-31", "reason": "Mer tid til politisk behandling", "decided_by_text": "KG 16.12"},
        )

    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == [contact_oslo.email]
    assert message.subject == "Handlingsprogram 2030: the deadline is moved to 31.01.2030"
    assert "from 15.01.2030 to 31.01.2030" in message.body
    assert "Decided by: KG 16.12" in message.body
    assert "Mer tid til politisk behandling" in message.body
    assert DeadlineExtension.objects.get().decided_by_text == "KG 16.12"


def test_moving_the_deadline_earlier_asks_for_a_confirmation_that_says_how_many_cities_lose_time(
    client, manager, round_, oslo_programme, bergen_programme, contact_oslo, mailoutbox
):
    client.force_login(manager)
    url = reverse("actionplans:round_extend", args=[round_.pk])
    data = {"new_date": "2030-01-08", "reason": "Tidligere politisk møte"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["confirm_earlier"] == [
        "Den nye datoen er tidligere: 2 byer som ikke har sendt inn, får kortere tid. Kryss av for å bekrefte."
    ]
    assert DeadlineExtension.objects.count() == 0

    with delivering():
        response = client.post(url, {**data, "confirm_earlier": "on"})

    assert response.status_code == 302
    round_.deadline.refresh_from_db()
    assert round_.deadline.due_date == datetime.date(2030, 1, 8)
    assert sorted(m.subject for m in mailoutbox) == ["Handlingsprogram 2030: fristen er flyttet fram til 08.01.2030"]


def test_a_deadline_move_whose_task_never_ran_is_announced_by_the_sweep(
    manager, round_, oslo_programme, contact_oslo, mailoutbox
):
    with time_machine.travel(datetime.datetime(2029, 12, 1, 12, tzinfo=datetime.UTC), tick=False) as traveller:
        services.extend_deadline(round_.deadline, new_date=datetime.date(2030, 2, 1), reason="x", by=manager)
        assert mailoutbox == []  # its task waits for a commit that a test's transaction never makes
        traveller.shift(datetime.timedelta(minutes=5))
        with delivering():
            notifications.send_missed()

    assert [m.to for m in mailoutbox] == [[contact_oslo.email]]
