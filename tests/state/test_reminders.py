"""Reminders of unanswered requests: the body's partners (the programme management, if the body has none) are
reminded at each step the programme management sets (14 days after asking unless it sets others), at 09:00
Oslo time on a working day, once per step and only the latest step due, through the outbox. A request
answered or withdrawn before then is reminded to no one.

Time travel uses integer timestamps, so that time-machine leaves the process time zone alone (see
tests/actionplans/test_reminder_schedule.py)."""

import datetime
import re
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.models import Membership, Profile
from outbox.models import OutgoingMail
from portal.celery import app as celery_app
from state import reminders, services, tasks
from state.models import DEFAULT_REMINDER_DAYS, ReminderStep, RequestReminder, StateRequest
from tests import factories
from tests.outbox.helpers import delivering

OSLO = ZoneInfo("Europe/Oslo")
Status = StateRequest.Status
KIND = "state_request_reminder"


def at(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def travel(moment):
    return time_machine.travel(int(moment.timestamp()), tick=False)


# Monday 04.03.2030 at 10:00: 14 days later is Monday 18.03.
ASKED = at(2030, 3, 4, 10, 0)


def sweep_at(moment, times=1):
    """The beat's sweep at `moment`, each run as if committed (so that the outbox sends what it queued)."""
    with travel(moment):
        for _ in range(times):
            with delivering():
                tasks.sweep_reminders.delay()


def reminded(mailoutbox):
    return [(m.to[0], m.subject) for m in mailoutbox]


def days_ago(message):
    return int(re.search(r"(\d+) days? ago", message.body).group(1))


@pytest.fixture
def asked(bergen_submitted, bergen_measure, contact_bergen, instrument, partner, mailoutbox):
    """Bergen's request to KS, asked at ASKED; KS's partner reads in English. The mails so far are sent and forgotten."""
    Profile.objects.create(user=partner, language="en")
    with travel(ASKED), delivering():
        request = services.ask(
            programme=bergen_submitted,
            measure=bergen_measure,
            body=instrument.body,
            instrument=instrument,
            need="Hjelp med bybanen",
            needed_by=None,
            by=contact_bergen,
        )
    mailoutbox.clear()
    return request


def test_the_default_period_is_two_weeks():
    assert DEFAULT_REMINDER_DAYS == (14,)


def test_an_unanswered_request_is_reminded_to_the_body_once_after_two_weeks(asked, partner, mailoutbox):
    sweep_at(at(2030, 3, 18, 8, 59))
    assert mailoutbox == []

    sweep_at(at(2030, 3, 18, 9, 5), times=2)
    sweep_at(at(2030, 3, 19, 9, 5))
    sweep_at(at(2030, 4, 30, 9, 5))

    assert reminded(mailoutbox) == [(partner.email, "Reminder: Bergen is waiting for an answer from KS")]
    body = mailoutbox[0].body
    assert "Bergen asked for help with its action programme Handlingsprogram 2030 on 04.03.2030, 14 days ago" in body
    assert "Measure: Bybane til Fyllingsdalen" in body
    assert "Hjelp med bybanen" in body
    assert f"/state/requests/{asked.pk}/" in body
    reminder = RequestReminder.objects.get()
    assert (reminder.request, reminder.days, reminder.scheduled_at) == (asked, 14, at(2030, 3, 18, 9, 0))
    assert reminder.sent_at == at(2030, 3, 18, 9, 5)
    assert OutgoingMail.objects.get(kind=KIND).key == f"{KIND}:{asked.pk}:14:{partner.pk}"


def test_every_partner_of_the_body_is_reminded_once(asked, body, partner, mailoutbox):
    second = factories.UserFactory(username="ks-to")
    factories.MembershipFactory(user=second, role=Membership.Role.PARTNER, organisation=body)
    Profile.objects.create(user=second, language="en")

    sweep_at(at(2030, 3, 18, 9, 5), times=2)

    assert sorted(reminded(mailoutbox)) == sorted(
        [
            (partner.email, "Reminder: Bergen is waiting for an answer from KS"),
            (second.email, "Reminder: Bergen is waiting for an answer from KS"),
        ]
    )
    assert RequestReminder.objects.count() == 1


def test_an_acknowledged_request_still_waits_for_its_answer_and_is_reminded(asked, partner, mailoutbox):
    with travel(at(2030, 3, 5, 12)):
        services.acknowledge(asked, by=partner)

    sweep_at(at(2030, 3, 18, 9, 5))

    assert reminded(mailoutbox) == [(partner.email, "Reminder: Bergen is waiting for an answer from KS")]


@pytest.mark.parametrize("answer", ["offer", "refusal", "referral", "withdrawal"])
def test_a_request_answered_or_withdrawn_before_its_reminder_is_never_reminded(
    asked, partner, contact_bergen, other_body, mailoutbox, answer
):
    with travel(at(2030, 3, 15, 12)), delivering():
        if answer == "offer":
            services.answer(asked, to_status=Status.OFFERED, by=partner, offer="Tilskudd")
        elif answer == "refusal":
            services.answer(asked, to_status=Status.REFUSED, by=partner, refusal_reason="Nei")
        elif answer == "referral":
            services.answer(asked, to_status=Status.REFERRED, by=partner, referred_body=other_body)
        else:
            services.withdraw(asked, by=contact_bergen)
    mailoutbox.clear()

    sweep_at(at(2030, 3, 18, 9, 5))
    sweep_at(at(2030, 6, 1, 9, 5))

    assert mailoutbox == []
    assert not RequestReminder.objects.exists()


def test_a_request_answered_after_its_reminder_was_recorded_is_not_reminded(asked, partner, mailoutbox):
    with travel(at(2030, 3, 18, 9, 5)):
        assert reminders.record() == 1
    services.answer(asked, to_status=Status.OFFERED, by=partner, offer="Tilskudd")

    with travel(at(2030, 3, 18, 9, 6)), delivering():
        assert reminders.queue_pending() == 0

    assert [m for m in mailoutbox if m.subject.startswith("Reminder")] == []
    assert not RequestReminder.objects.exists()


def test_a_reminder_waiting_in_the_outbox_is_withdrawn_when_the_request_is_answered(asked, partner, mailoutbox):
    # The mail server was away at 09:00: the reminder waits in the outbox (nothing commits, nothing is sent).
    with travel(at(2030, 3, 18, 9, 5)):
        tasks.sweep_reminders.delay()
    mail = OutgoingMail.objects.get(kind=KIND)
    assert mail.status == OutgoingMail.Status.QUEUED

    with delivering():
        services.answer(asked, to_status=Status.OFFERED, by=partner, offer="Tilskudd")

    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.WITHDRAWN
    assert [m.to for m in mailoutbox] == [[asked.raised_by.email]]  # the answer to the city, and no reminder


def test_the_programme_management_is_reminded_when_the_body_has_no_partner(
    bergen_submitted, contact_bergen, manager, partner, mailoutbox
):
    nve = factories.OrganisationFactory(short_name="NVE", name="Norges vassdrags- og energidirektorat")
    Profile.objects.create(user=manager, language="en")
    with travel(ASKED), delivering():
        services.ask(
            programme=bergen_submitted,
            measure=None,
            body=nve,
            instrument=None,
            need="Veiledning om overvann",
            needed_by=None,
            by=contact_bergen,
        )
    mailoutbox.clear()

    sweep_at(at(2030, 3, 18, 9, 5), times=2)

    assert reminded(mailoutbox) == [(manager.email, "Reminder: Bergen is waiting for an answer from NVE")]
    assert (
        "Norges vassdrags- og energidirektorat has no partner in the portal who can answer this request: "
        "the programme management is reminded in its place." in mailoutbox[0].body
    )


def test_the_steps_the_management_sets_are_kept(asked, partner, mailoutbox):
    services.set_reminder_steps([21, 7])

    sweep_at(at(2030, 3, 10, 9, 5))  # a Sunday, 6 days after
    sweep_at(at(2030, 3, 11, 8, 59))
    assert mailoutbox == []

    sweep_at(at(2030, 3, 11, 9, 5), times=2)  # 7 days after
    sweep_at(at(2030, 3, 18, 9, 5))  # 14 days: no step any more
    sweep_at(at(2030, 3, 25, 9, 5), times=2)  # 21 days after

    assert [days_ago(m) for m in mailoutbox] == [7, 21]
    assert sorted(RequestReminder.objects.values_list("days", flat=True)) == [7, 21]


def test_after_an_outage_only_the_latest_step_due_is_sent(asked, partner, mailoutbox):
    services.set_reminder_steps([7, 14])

    sweep_at(at(2030, 3, 19, 10, 0))

    assert [days_ago(m) for m in mailoutbox] == [15]
    assert list(RequestReminder.objects.values_list("days", flat=True)) == [14]


def test_a_step_on_a_weekend_waits_for_the_next_working_day(
    bergen_submitted, contact_bergen, instrument, partner, mailoutbox
):
    # Asked on Saturday 02.03.2030: 14 days later is Saturday 16.03, so Monday 18.03.
    with travel(at(2030, 3, 2, 11)), delivering():
        request = services.ask(
            programme=bergen_submitted,
            measure=None,
            body=instrument.body,
            instrument=instrument,
            need="Hjelp",
            needed_by=None,
            by=contact_bergen,
        )
    mailoutbox.clear()

    sweep_at(at(2030, 3, 16, 9, 5))
    sweep_at(at(2030, 3, 17, 9, 5))
    assert mailoutbox == []

    sweep_at(at(2030, 3, 18, 9, 5))

    assert [m.to for m in mailoutbox] == [[partner.email]]
    assert RequestReminder.objects.get(request=request).scheduled_at == at(2030, 3, 18, 9, 0)


def test_two_sweeps_planning_at_once_record_the_reminder_once(asked, partner, mailoutbox):
    now = at(2030, 3, 18, 9, 5)
    with travel(now):
        first, second = reminders.plan(now), reminders.plan(now)
        RequestReminder.objects.bulk_create(second, ignore_conflicts=True)
        RequestReminder.objects.bulk_create(first, ignore_conflicts=True)
        with delivering():
            assert reminders.queue_pending() == 1
            assert reminders.queue_pending() == 0

    assert len(first) == len(second) == 1
    assert RequestReminder.objects.count() == 1
    assert [m.to for m in mailoutbox] == [[partner.email]]


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_running_at_the_same_time_send_each_reminder_once(asked, partner, mailoutbox):
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait(timeout=10)
            tasks.sweep_reminders.delay()
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    with travel(at(2030, 3, 18, 9, 5)):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert RequestReminder.objects.count() == 1
    assert OutgoingMail.objects.filter(kind=KIND).count() == 1
    assert [m.to for m in mailoutbox if m.subject.startswith("Reminder")] == [[partner.email]]


def test_the_request_page_shows_when_the_body_was_reminded(client, asked, contact_bergen):
    sweep_at(at(2030, 3, 18, 9, 5))
    client.force_login(contact_bergen)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("state:request_detail", args=[asked.pk]))

    assert "18/03/2030 09:05: the body was reminded (14 days after the request)" in response.text


def test_the_sweep_runs_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-state"]
    assert entry["task"] == "state.sweep_reminders"
    assert entry["schedule"] == settings.REMINDER_SWEEP_SECONDS
    assert "state.sweep_reminders" in celery_app.tasks


# --- The page where the programme management sets the steps -----------------------------------------


def test_the_management_sets_the_steps(client, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    url = reverse("state:reminder_steps")

    assert client.get(url).context["form"]["days"].value() == "14"
    response = client.post(url, {"days": "28; 14, 14 "})

    assert response.status_code == 302
    assert ReminderStep.objects.days() == [14, 28]
    assert client.get(url).context["form"]["days"].value() == "14, 28"


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("", "This field is required."),
        (" , ", "Give at least one number of days."),
        ("14, to uker", "Write whole numbers of days separated by commas."),
        ("-7", "Write whole numbers of days separated by commas."),
        ("0", "A step must be from 1 to 366 days after the request."),
        ("400", "A step must be from 1 to 366 days after the request."),
        ("9" * 300, "Ensure this value has at most 200 characters (it has 300)."),
    ],
)
def test_bad_steps_are_refused_with_a_message(client, manager, days, message):
    ReminderStep.objects.create(days=10)
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("state:reminder_steps"), {"days": days})

    assert response.status_code == 200
    assert response.context["form"].errors["days"] == [message]
    assert ReminderStep.objects.days() == [10]


@pytest.mark.parametrize("persona", ["partner", "coordinator", "contact_bergen"])
def test_only_the_management_sets_the_steps(request, client, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("state:reminder_steps")).status_code == 403
    assert client.post(reverse("state:reminder_steps"), {"days": "3"}).status_code == 403
    assert ReminderStep.objects.days() == [14]


def test_the_steps_page_lists_the_reminders_sent_with_the_same_queries_for_one_and_three(
    client, manager, asked, bergen_submitted, contact_bergen, instrument
):
    client.force_login(manager)
    url = reverse("state:reminder_steps")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    sweep_at(at(2030, 3, 18, 9, 5))
    one = count()
    for _ in range(2):
        with travel(ASKED):
            services.ask(
                programme=bergen_submitted,
                measure=None,
                body=instrument.body,
                instrument=instrument,
                need="Mer hjelp",
                needed_by=None,
                by=contact_bergen,
            )
    sweep_at(at(2030, 3, 18, 9, 10))
    three = count()

    assert RequestReminder.objects.filter(sent_at__isnull=False).count() == 3
    assert one == three
