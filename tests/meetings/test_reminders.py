"""The meetings sweep: action item reminders, the feedback survey and its reminder.

Rules: an open action item's owner is reminded 2 days before the due date and
1 day after it (overdue), at 09:00 Oslo time on a working day, once per step
and only the latest step due. After a held gathering ends, each participant
gets the survey once; 3 days after the end (09:00, working day) those who have
not answered get one reminder while the survey is open.

Time travel uses integer timestamps, so that time-machine leaves the process
time zone alone (see tests/actionplans/test_reminder_schedule.py).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from cities.models import Profile
from meetings import reminders, tasks
from meetings.calendar import absolute_meeting_url
from meetings.models import ActionItem, ActionItemReminder, Feedback, Invitation, Meeting, Minutes
from meetings.services import create_meeting
from outbox import sender as outbox_sender
from outbox.models import OutgoingMail
from tests.mailserver import free_port
from tests.outbox.helpers import delivering

OSLO = ZoneInfo("Europe/Oslo")
Response = Invitation.Response

OSLO_CONTACT = "kontakt-oslo@example.org"
BERGEN_CONTACT = "kontakt-bergen@example.org"

DUE = datetime.date(2030, 3, 13)  # a Wednesday: the steps fall on Monday 11th and Thursday 14th


def at(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def travel(moment):
    return time_machine.travel(int(moment.timestamp()), tick=False)


def sweep_at(moment, times=1):
    """The beat's sweep at `moment`, each run committed (so that the outbox sends what it queued)."""
    with travel(moment):
        for _ in range(times):
            with delivering():
                tasks.sweep.delay()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def meeting(manager, atp):
    return create_meeting(
        by=manager,
        theme_areas=[atp],
        kind=Meeting.Kind.COORDINATION_GROUP,
        title="Koordineringsgruppen",
        starts_at=at(2030, 3, 4, 10),
        ends_at=at(2030, 3, 4, 15),
        status=Meeting.Status.HELD,
    )


def action_item(meeting, owner, due_date=DUE, minutes_status=Minutes.Status.PUBLISHED, **fields):
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting, defaults={"status": minutes_status})
    return ActionItem.objects.create(
        minutes=minutes, text="Send utkast til felles mal", owner=owner, due_date=due_date, **fields
    )


# --- Action items -------------------------------------------------------------------------------


def test_action_item_reminder_sent_once_two_days_before(meeting, contact_oslo):
    item = action_item(meeting, contact_oslo)

    sweep_at(at(2030, 3, 11, 8, 59))
    assert mail.outbox == []

    sweep_at(at(2030, 3, 11, 9, 5), times=2)
    sweep_at(at(2030, 3, 12, 9, 5))

    assert recipients() == [OSLO_CONTACT]
    message = mail.outbox[0]
    assert message.subject == "Oppfølgingspunkt med frist om 2 dager: Send utkast til felles mal"
    assert "13.03.2030" in message.body
    assert "Koordineringsgruppen (04.03.2030)" in message.body
    assert absolute_meeting_url(meeting) in message.body
    reminder = ActionItemReminder.objects.get()
    assert (reminder.action_item, reminder.offset_days, reminder.email) == (item, -2, OSLO_CONTACT)
    assert reminder.scheduled_at == at(2030, 3, 11, 9, 0)
    assert reminder.sent_at == at(2030, 3, 11, 9, 5)


def test_action_item_overdue_step_one_day_after(meeting, contact_oslo):
    action_item(meeting, contact_oslo)
    sweep_at(at(2030, 3, 11, 9, 5))

    sweep_at(at(2030, 3, 13, 23, 59))  # still the due day
    sweep_at(at(2030, 3, 14, 9, 5), times=2)

    assert [m.subject for m in mail.outbox] == [
        "Oppfølgingspunkt med frist om 2 dager: Send utkast til felles mal",
        "Oppfølgingspunkt 1 dag over fristen: Send utkast til felles mal",
    ]
    assert "13.03.2030" in mail.outbox[1].body
    assert sorted(ActionItemReminder.objects.values_list("offset_days", flat=True)) == [-2, 1]


def test_action_item_after_an_outage_only_the_latest_step(meeting, contact_oslo):
    action_item(meeting, contact_oslo)

    sweep_at(at(2030, 3, 14, 10, 0))

    assert [m.subject for m in mail.outbox] == ["Oppfølgingspunkt 1 dag over fristen: Send utkast til felles mal"]
    assert list(ActionItemReminder.objects.values_list("offset_days", flat=True)) == [1]


def test_action_item_step_on_a_holiday_moves_to_the_working_day_before(meeting, contact_oslo):
    # Due Monday 22.04.2030; two days before is Saturday, the Friday before is Good Friday.
    action_item(meeting, contact_oslo, due_date=datetime.date(2030, 4, 22))

    sweep_at(at(2030, 4, 17, 9, 5))

    assert recipients() == [OSLO_CONTACT]
    assert ActionItemReminder.objects.get().scheduled_at == at(2030, 4, 17, 9, 0)


def test_done_action_item_not_reminded(meeting, contact_oslo):
    action_item(meeting, contact_oslo, status=ActionItem.Status.DONE)

    sweep_at(at(2030, 3, 11, 9, 5))
    sweep_at(at(2030, 3, 14, 9, 5))

    assert mail.outbox == []
    assert not ActionItemReminder.objects.exists()


@pytest.mark.parametrize("status", [Minutes.Status.DRAFT, Minutes.Status.APPROVED])
def test_action_item_of_unpublished_minutes_not_reminded(meeting, contact_oslo, status):
    action_item(meeting, contact_oslo, minutes_status=status)

    sweep_at(at(2030, 3, 11, 9, 5))
    sweep_at(at(2030, 3, 14, 9, 5))

    assert mail.outbox == []
    assert not ActionItemReminder.objects.exists()


def test_action_item_recorded_then_its_minutes_unpublished_is_dropped(meeting, contact_oslo):
    item = action_item(meeting, contact_oslo)
    with travel(at(2030, 3, 11, 9, 5)):
        assert reminders.record_action_item_reminders() == 1
        Minutes.objects.filter(pk=item.minutes_id).update(status=Minutes.Status.APPROVED)

        with delivering():
            assert reminders.queue_action_item_reminders() == 0

    assert mail.outbox == []
    assert not ActionItemReminder.objects.exists()


def test_action_item_done_after_it_was_recorded_is_dropped(meeting, contact_oslo):
    item = action_item(meeting, contact_oslo)
    with travel(at(2030, 3, 11, 9, 5)):
        assert reminders.record_action_item_reminders() == 1
        item.status = ActionItem.Status.DONE
        item.save(update_fields=["status"])

        with delivering():
            assert reminders.queue_action_item_reminders() == 0

    assert mail.outbox == []
    assert not ActionItemReminder.objects.exists()


def test_action_item_moved_after_it_was_recorded_is_planned_again(meeting, contact_oslo):
    item = action_item(meeting, contact_oslo)
    with travel(at(2030, 3, 11, 9, 5)):
        reminders.record_action_item_reminders()
        item.due_date = datetime.date(2030, 3, 20)
        item.save(update_fields=["due_date"])
        with delivering():
            reminders.queue_action_item_reminders()
    assert mail.outbox == []

    sweep_at(at(2030, 3, 18, 9, 5))

    assert recipients() == [OSLO_CONTACT]
    assert "20.03.2030" in mail.outbox[0].body


def test_action_item_without_owner_or_address_not_reminded(meeting, contact_oslo):
    action_item(meeting, None)
    contact_oslo.email = ""
    contact_oslo.save(update_fields=["email"])
    action_item(meeting, contact_oslo)

    sweep_at(at(2030, 3, 11, 9, 5))

    assert mail.outbox == []
    assert not ActionItemReminder.objects.exists()


def test_action_item_reminder_in_the_owners_language(meeting, contact_oslo, contact_bergen):
    Profile.objects.create(user=contact_bergen, language="en")
    action_item(meeting, contact_oslo)
    action_item(meeting, contact_bergen)

    sweep_at(at(2030, 3, 11, 9, 5))

    languages = {m.to[0]: m.alternatives[0][0].split('lang="')[1][:2] for m in mail.outbox}
    assert languages == {OSLO_CONTACT: "nb", BERGEN_CONTACT: "en"}


# --- Feedback on a gathering --------------------------------------------------------------------


@pytest.fixture
def gathering(manager, bergen, atp, contact_oslo, contact_bergen, coordinator, partner):
    """A network gathering in Bergen, Monday 04.03.2030 10:00 to Tuesday 05.03.2030 15:00."""
    meeting = create_meeting(
        by=manager,
        theme_areas=[atp],
        kind=Meeting.Kind.NETWORK_GATHERING,
        title="Nettverkssamling i Bergen",
        host_city=bergen,
        venue="Rådhuset",
        starts_at=at(2030, 3, 4, 10),
        ends_at=at(2030, 3, 5, 15),
        status=Meeting.Status.HELD,
    )
    for user, response, attended in [
        (contact_oslo, Response.ATTENDING, None),
        (contact_bergen, Response.PENDING, True),  # came without answering; the host recorded it
        (coordinator, Response.NOT_ATTENDING, None),
        (partner, Response.ATTENDING, False),  # said yes, did not come
        (manager, Response.PENDING, None),
    ]:
        Invitation.objects.create(meeting=meeting, user=user, response=response, attended=attended)
    return meeting


def test_survey_mailed_once_to_each_participant_after_the_gathering(gathering):
    sweep_at(at(2030, 3, 5, 14, 59))
    assert mail.outbox == []

    sweep_at(at(2030, 3, 5, 15, 10), times=2)
    sweep_at(at(2030, 3, 6, 15, 10))

    assert recipients() == [BERGEN_CONTACT, OSLO_CONTACT]
    message = mail.outbox[0]
    assert message.subject == "Hvordan var Nettverkssamling i Bergen? Gi tilbakemelding"
    assert "Nettverkssamling i Bergen (04.03.2030–05.03.2030)" in message.body
    assert "åpent til 19.03.2030" in message.body
    sent = dict(Invitation.objects.filter(survey_sent_at__isnull=False).values_list("user__email", "survey_sent_at"))
    assert sent == {OSLO_CONTACT: at(2030, 3, 5, 15, 10), BERGEN_CONTACT: at(2030, 3, 5, 15, 10)}
    gathering.refresh_from_db()
    assert gathering.survey_sent_at == at(2030, 3, 5, 15, 10)


def test_survey_attendance_recorded_later_gets_it_then(gathering, coordinator):
    sweep_at(at(2030, 3, 5, 15, 10))
    Invitation.objects.filter(user=coordinator).update(attended=True)
    mail.outbox.clear()

    sweep_at(at(2030, 3, 6, 9, 0))

    assert recipients() == ["koordinator-atp@example.org"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", Meeting.Status.PLANNED),
        ("status", Meeting.Status.CANCELLED),
        ("kind", Meeting.Kind.ADMINISTRATIVE),
    ],
)
def test_survey_only_after_a_held_gathering(gathering, field, value):
    setattr(gathering, field, value)
    gathering.save(update_fields=[field])

    sweep_at(at(2030, 3, 5, 15, 10))

    assert mail.outbox == []


def test_survey_not_sent_once_it_has_closed(gathering):
    sweep_at(at(2030, 3, 19, 15, 10))  # 14 days after the end

    assert mail.outbox == []


def test_feedback_reminder_once_to_those_who_have_not_answered(gathering, contact_oslo):
    sweep_at(at(2030, 3, 5, 15, 10))
    Feedback.objects.create(
        meeting=gathering, user=contact_oslo, rating=4, pace="too_tight", enough_discussion="partly"
    )
    mail.outbox.clear()

    sweep_at(at(2030, 3, 8, 8, 59))  # three days after the end, before 09:00
    assert mail.outbox == []

    sweep_at(at(2030, 3, 8, 9, 5), times=2)
    sweep_at(at(2030, 3, 12, 9, 5))

    assert recipients() == [BERGEN_CONTACT]
    assert mail.outbox[0].subject == "Påminnelse: tilbakemeldingen din på Nettverkssamling i Bergen"
    reminded = Invitation.objects.filter(feedback_reminded_at__isnull=False)
    assert list(reminded.values_list("user__email", "feedback_reminded_at")) == [(BERGEN_CONTACT, at(2030, 3, 8, 9, 5))]


def test_feedback_reminder_not_after_the_survey_closed(gathering):
    gathering.feedback_days = 2
    gathering.save(update_fields=["feedback_days"])
    sweep_at(at(2030, 3, 5, 15, 10))
    mail.outbox.clear()

    sweep_at(at(2030, 3, 8, 9, 5))

    assert mail.outbox == []
    assert not Invitation.objects.filter(feedback_reminded_at__isnull=False).exists()


def test_a_survey_queued_while_the_mail_server_is_down_is_sent_once_it_is_back(gathering, smtp, settings):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    sweep_at(at(2030, 3, 5, 15, 10))
    assert smtp.recipients() == []
    assert set(OutgoingMail.objects.values_list("kind", "status")) == {("feedback_survey", OutgoingMail.Status.QUEUED)}

    settings.EMAIL_PORT = port
    sweep_at(at(2030, 3, 5, 15, 25))
    with travel(at(2030, 3, 5, 15, 25)):
        outbox_sender.sweep()  # the outbox's own sweep, a minute later

    assert sorted(smtp.recipients()) == [BERGEN_CONTACT, OSLO_CONTACT]
    assert Invitation.objects.filter(survey_sent_at__isnull=False).count() == 2
