"""Seeding the demo queues no mail: its events (the 2008 submissions among them) are history, not news."""

import datetime
import io
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command

from actionplans import notifications
from actionplans.models import StatusChange
from outbox.models import OutgoingMail
from tests.outbox.helpers import delivering

OSLO = ZoneInfo("Europe/Oslo")


def test_seeding_the_demo_queues_nothing_also_when_its_tasks_run(db):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=OSLO)):
        with delivering():  # the commit runs the notification tasks (eager in tests)
            call_command("seed_demo", stdout=io.StringIO())
        with delivering():
            notifications.send_missed()  # nor does the sweep think the tasks were lost

    assert StatusChange.objects.filter(to_status="submitted").count() > 13
    assert OutgoingMail.objects.count() == 0
    assert mail.outbox == []
