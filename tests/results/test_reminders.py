"""Reminders of reports not submitted: the contacts of each city and the partners of each organisation that
has not submitted are reminded at each step of the round (-14, -7, 0 and +7 days by default), at 09:00 Oslo
time on a working day, once per step and only the latest step due; none after submission; an approved
extension moves them to the new date. Asking for more time mails the management, the decision the reporter."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cities.models import Profile
from outbox.models import OutgoingMail
from results import reminders, services, tasks
from results.models import ExtensionRequest, Reminder
from tests.outbox.helpers import delivering

OSLO = ZoneInfo("Europe/Oslo")


def at(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def travel(moment):
    return time_machine.travel(int(moment.timestamp()), tick=False)


def sweep_at(moment, times=1):
    with travel(moment):
        for _ in range(times):
            with delivering():
                tasks.sweep.delay()


def reminded(mailoutbox):
    result = sorted((m.to[0], m.subject) for m in mailoutbox)
    mailoutbox.clear()
    return result


@pytest.fixture
def opened(reports, contact_oslo, contact_bergen, partner, manager, english, mailoutbox):
    """The round's reports; everyone reads in English; the mails so far (of the submissions) sent and forgotten."""
    for user in (contact_bergen, partner, manager):
        Profile.objects.create(user=user, language="en")
    with delivering():
        pass
    mailoutbox.clear()
    return reports


def test_the_default_steps_are_two_weeks_and_one_week_before_the_day_and_one_week_after(reporting_round):
    assert list(reporting_round.reminder_steps.values_list("offset_days", flat=True)) == [-14, -7, 0, 7]


def test_every_reporter_is_reminded_once_per_step(opened, contact_oslo, contact_bergen, partner, mailoutbox):
    # 01.05.2030 is a public holiday: the step two weeks before moves to the working day before.
    sweep_at(at(2030, 4, 30, 8, 59))
    assert reminded(mailoutbox) == []

    sweep_at(at(2030, 4, 30, 9, 5), times=2)
    sweep_at(at(2030, 5, 2, 9, 5))

    assert reminded(mailoutbox) == [
        (contact_bergen.email, "Bergen: the progress report is due in 15 days"),
        (contact_oslo.email, "Oslo: the progress report is due in 15 days"),
        (partner.email, "KS: the progress report is due in 15 days"),
    ]
    assert Reminder.objects.count() == 3
    mail = OutgoingMail.objects.get(recipient=contact_oslo, kind="results_reminder")
    assert mail.key == f"results_reminder:{opened['oslo'].pk}:-14:{contact_oslo.pk}:2030-05-15"
    assert f"/results/reports/{opened['oslo'].pk}/" in mail.text
    assert "The progress report of Oslo for Rapport 2030 is due on 15.05.2030 (by the end of the day)." in mail.text


def test_after_an_outage_only_the_latest_step_is_sent(opened, contact_oslo, mailoutbox):
    sweep_at(at(2030, 5, 15, 20, 0))  # the sweeps of 30.04, 08.05 and the morning of 15.05 were lost

    assert [s for a, s in reminded(mailoutbox) if a == contact_oslo.email] == ["Oslo: the progress report is due today"]
    assert set(Reminder.objects.values_list("offset_days", flat=True)) == {0}


def test_no_reminder_after_submission(opened, contact_oslo, contact_bergen, partner, mailoutbox):
    services.save_report(opened["bergen"], measures=[], agreements=[], by=contact_bergen, submit=True)

    sweep_at(at(2030, 5, 8, 9, 5))
    sweep_at(at(2030, 5, 22, 9, 5))

    recipients = [a for a, _s in reminded(mailoutbox)]
    assert contact_bergen.email not in recipients
    assert sorted(set(recipients)) == sorted({contact_oslo.email, partner.email})
    assert Reminder.objects.filter(report=opened["bergen"]).count() == 0


def test_a_reminder_recorded_before_the_submission_is_not_sent(opened, contact_bergen, mailoutbox):
    with travel(at(2030, 5, 8, 9, 5)):
        reminders.record()
    services.save_report(opened["bergen"], measures=[], agreements=[], by=contact_bergen, submit=True)

    with travel(at(2030, 5, 8, 9, 6)), delivering():
        reminders.queue_pending()

    assert contact_bergen.email not in [a for a, _s in reminded(mailoutbox)]
    assert not Reminder.objects.filter(report=opened["bergen"]).exists()


def test_an_approved_extension_moves_the_reminders(client, opened, contact_oslo, manager, mailoutbox):
    sweep_at(at(2030, 5, 8, 9, 5))  # -7 of 15.05
    mailoutbox.clear()

    with travel(at(2030, 5, 9, 12)), delivering():
        client.force_login(contact_oslo)
        response = client.post(
            reverse("results:extension_request", args=[opened["oslo"].pk]),
            {"new_date": "2030-06-14", "reason": "Valg i kommunestyret"},
        )
    assert response.status_code == 302
    extension = ExtensionRequest.objects.get()
    assert reminded(mailoutbox) == [(manager.email, "Oslo asks for more time for its progress report")]

    with travel(at(2030, 5, 10, 12)), delivering():
        client.force_login(manager)
        response = client.post(
            reverse("results:extension_decide", args=[extension.pk]), {"decision": "approve", "comment": "Greit"}
        )
    assert response.status_code == 302
    opened["oslo"].refresh_from_db()
    assert opened["oslo"].extended_due_date == datetime.date(2030, 6, 14)
    assert reminded(mailoutbox) == [(contact_oslo.email, "Oslo: more time for the progress report approved")]

    sweep_at(at(2030, 5, 15, 9, 5))  # the round's day: Oslo is not reminded
    assert contact_oslo.email not in [a for a, _s in reminded(mailoutbox)]

    sweep_at(at(2030, 6, 14, 9, 5), times=2)  # its own day
    assert [s for a, s in reminded(mailoutbox) if a == contact_oslo.email] == ["Oslo: the progress report is due today"]


def test_a_declined_extension_keeps_the_date_and_is_decided_once(opened, contact_oslo, manager, mailoutbox):
    with travel(at(2030, 5, 9, 12)):
        request = services.request_extension(
            opened["oslo"], new_date=datetime.date(2030, 6, 1), reason="Travelt", by=contact_oslo
        )
        with pytest.raises(ValidationError) as pending:
            services.request_extension(
                opened["oslo"], new_date=datetime.date(2030, 6, 2), reason="Igjen", by=contact_oslo
            )
        services.decide_extension(request, approve=False, comment="Nei", by=manager)
        with pytest.raises(ValidationError) as decided:
            services.decide_extension(request, approve=True, by=manager)

    assert (pending.value.code, decided.value.code) == ("pending", "decided")
    opened["oslo"].refresh_from_db()
    assert opened["oslo"].extended_due_date is None


@pytest.mark.parametrize(
    ("new_date", "message"),
    [
        ("2030-05-15", "Ask for a date after the current due date."),
        ("2031-06-01", "Ask for at most a year more: a date by 15.05.2031."),
        ("15.05", "Enter a valid date."),
        ("", "This field is required."),
    ],
)
def test_asking_for_a_bad_date_says_what_is_wrong(client, opened, contact_oslo, new_date, message):
    client.cookies["django_language"] = "en"

    with travel(at(2030, 5, 9, 12)):
        client.force_login(contact_oslo)
        response = client.post(
            reverse("results:extension_request", args=[opened["oslo"].pk]), {"new_date": new_date, "reason": "Valg"}
        )

    assert response.status_code == 200
    assert response.context["form"].errors["new_date"] == [message]
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("persona", ["contact_oslo", "contact_bergen", "coordinator", "partner", "outsider"])
def test_only_the_management_decides_an_extension(client, request, opened, contact_oslo, persona):
    with travel(at(2030, 5, 9, 12)):
        extension = services.request_extension(
            opened["oslo"], new_date=datetime.date(2030, 6, 1), reason="Valg", by=contact_oslo
        )
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("results:extension_decide", args=[extension.pk]), {"decision": "approve"})

    assert response.status_code == 403
    extension.refresh_from_db()
    assert extension.status == "pending"


@pytest.mark.parametrize("persona", ["contact_bergen", "coordinator", "partner", "outsider"])
def test_no_one_but_the_reporter_asks_for_its_time(client, request, opened, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("results:extension_request", args=[opened["oslo"].pk]), {"new_date": "2030-06-01", "reason": "x"}
    )

    assert response.status_code == 404
    assert not ExtensionRequest.objects.exists()
