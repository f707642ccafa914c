"""Bad values stored in the database never stop the programme: the reminder
sweep skips the one bad row and sends the others, and the pages that show
deadlines and reminders answer whatever is stored.

The bad rows are written straight into the database with `update()`, as an
old import, an admin's typo or a bug might have left them."""

import datetime
import logging

import pytest
from django.core import mail
from django.utils import dateformat

from actionplans import reminders
from actionplans.models import ActionProgramme, Deadline, Reminder
from tests import factories
from tests.actionplans.test_reminder_schedule import (
    BERGEN_CONTACT,
    CITY,
    OSLO,
    make_round,
    oslo_time,
    sent_rows,
    travel,
)
from tests.outbox.helpers import delivering

BAD_DATES = [datetime.date.max, datetime.date.min, datetime.date(9999, 12, 25), datetime.date(1, 1, 2)]


@pytest.fixture
def due_15_january(oslo, bergen, contact_oslo, contact_bergen, manager):
    """Oslo and Bergen in a round due Friday 15.01.2027, neither submitted."""
    round_ = make_round(datetime.date(2027, 1, 15))
    factories.ProgrammeFactory(round=round_, city=oslo)
    factories.ProgrammeFactory(round=round_, city=bergen)
    return round_


@pytest.mark.parametrize("bad", BAD_DATES)
def test_sweep_skips_a_city_whose_own_date_cannot_be_reckoned_and_reminds_the_others(due_15_january, oslo, bad, caplog):
    ActionProgramme.objects.filter(city=oslo).update(extended_due_date=bad)
    moment = oslo_time(2027, 1, 13, 9, 0)

    with travel(moment), caplog.at_level(logging.ERROR, logger="actionplans.reminders"):
        assert reminders.sweep() == 1
        with delivering():
            assert reminders.queue_pending() == 1

    assert sent_rows() == [(BERGEN_CONTACT, CITY, -2, moment)]
    assert [m.to for m in mail.outbox] == [[BERGEN_CONTACT]]
    assert [r.getMessage() for r in caplog.records] == [
        f"Reminders of Oslo – Handlingsprogram 2027 (due {bad.isoformat()}) skipped"
    ]


def test_sweep_reminds_the_cities_of_a_good_deadline_beside_a_broken_one(due_15_january, bergen, caplog):
    broken = factories.RoundFactory(name="Ødelagt", slug="odelagt", deadline__due_date=datetime.date(2027, 1, 20))
    factories.ProgrammeFactory(round=broken, city=bergen)
    Deadline.objects.filter(round=broken).update(due_date=datetime.date.max)
    moment = oslo_time(2027, 1, 13, 9, 0)

    with travel(moment):
        assert reminders.sweep() == 2
        with delivering():
            assert reminders.queue_pending() == 2

    assert sorted(sent_rows()) == sorted(
        [("kontakt-oslo@example.org", CITY, -2, moment), (BERGEN_CONTACT, CITY, -2, moment)]
    )


def test_sweep_reminds_other_cities_when_one_city_has_no_contacts(due_15_january, oslo, contact_oslo):
    contact_oslo.memberships.all().delete()
    moment = oslo_time(2027, 1, 13, 9, 0)

    with travel(moment):
        assert reminders.sweep() == 1
        with delivering():
            assert reminders.queue_pending() == 1

    assert sent_rows() == [(BERGEN_CONTACT, CITY, -2, moment)]


def test_a_reminder_that_cannot_be_rendered_is_set_aside_and_the_others_are_sent(due_15_january, monkeypatch, caplog):
    moment = oslo_time(2027, 1, 13, 9, 0)
    real_queue = reminders._queue

    def broken_for_oslo(reminder, programme):
        if reminder.city.name == "Oslo":
            raise OverflowError("date value out of range")
        return real_queue(reminder, programme)

    monkeypatch.setattr(reminders, "_queue", broken_for_oslo)
    with travel(moment), caplog.at_level(logging.ERROR, logger="actionplans.reminders"):
        assert reminders.sweep() == 2
        with delivering():
            assert reminders.queue_pending() == 1

    assert sent_rows() == [(BERGEN_CONTACT, CITY, -2, moment)]
    refused = Reminder.objects.get(failed_at__isnull=False)
    assert (refused.email, refused.error) == ("kontakt-oslo@example.org", "OverflowError: date value out of range")
    assert [r.getMessage() for r in caplog.records] == [
        f"Reminder {refused.pk} to kontakt-oslo@example.org could not be queued; set aside"
    ]


@pytest.mark.parametrize("bad", BAD_DATES)
def test_round_page_shows_a_deadline_that_cannot_be_reckoned_with(client, manager, due_15_january, oslo, bad):
    Deadline.objects.filter(round=due_15_january).update(due_date=bad)
    ActionProgramme.objects.filter(city=oslo).update(extended_due_date=bad)

    with travel(oslo_time(2027, 1, 13, 9, 0)):
        client.force_login(manager)
        response = client.get(f"/rounds/{due_15_january.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert dateformat.format(bad, "d.m.Y") in page
    steps = response.context["steps"]
    assert [s["offset"] for s in steps] == [-14, -7, -2, 0, 1, 7]
    # A step beyond the calendar's range has no moment; the page shows a dash for it.
    assert all(s["moment"] is None or s["moment"].tzinfo is not None for s in steps)
    assert any(s["moment"] is None for s in steps)


@pytest.mark.parametrize("bad", BAD_DATES)
def test_reminder_log_answers_whatever_dates_are_stored(client, manager, due_15_january, oslo, bergen, bad):
    ActionProgramme.objects.filter(city=oslo).update(extended_due_date=bad)
    other = factories.RoundFactory(name="Ødelagt", slug="odelagt", deadline__due_date=datetime.date(2027, 2, 1))
    factories.ProgrammeFactory(round=other, city=bergen)
    Deadline.objects.filter(round=other).update(due_date=bad)

    with travel(oslo_time(2027, 1, 13, 9, 0)):
        client.force_login(manager)
        reminders.sweep()
        with delivering():
            reminders.queue_pending()
        response = client.get("/reminders/")

    assert response.status_code == 200
    upcoming = [
        (row["programme"].city.name, row["programme"].round.name, row["offset"]) for row in response.context["upcoming"]
    ]
    # Bergen in the good round is reminded next on the due day; nothing stored stops the list.
    assert upcoming[0] == ("Bergen", "Handlingsprogram 2027", 0)
    assert response.context["upcoming"][0]["moment"] == datetime.datetime(2027, 1, 15, 9, 0, tzinfo=OSLO)
    assert "Bergen" in response.content.decode()
