"""The daily digest: a person who reads notices once a day gets them at 07:00 in one mail; reminders,
invitations and receipts still come at once, and so does everything to everyone else."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from actionplans import services
from cities.models import Profile
from outbox import digest
from outbox.models import OutgoingMail
from tests.conftest import upload
from tests.outbox.helpers import delivering

OSLO = ZoneInfo("Europe/Oslo")
Status = OutgoingMail.Status


def at(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


@pytest.fixture
def daily_coordinator(coordinator):
    Profile.objects.create(user=coordinator, notices=Profile.Notices.DAILY)
    return coordinator


def submit(programme, contact, moment):
    with time_machine.travel(moment, tick=False), delivering():
        upload(programme, contact)
        services.submit_programme(programme, by=contact)


def test_notices_are_held_and_sent_together_the_next_morning(
    daily_coordinator, manager, oslo_programme, bergen_programme, contact_oslo, contact_bergen, mailoutbox
):
    submit(oslo_programme, contact_oslo, at(2030, 1, 10, 14))
    submit(bergen_programme, contact_bergen, at(2030, 1, 10, 16))

    to_coordinator = [m for m in mailoutbox if m.to == [daily_coordinator.email]]
    assert to_coordinator == []  # held
    assert sorted(m.to[0] for m in mailoutbox if "har sendt inn" in m.subject) == [manager.email, manager.email]
    assert OutgoingMail.objects.filter(recipient=daily_coordinator, status=Status.HELD).count() == 2

    with time_machine.travel(at(2030, 1, 11, 6, 30), tick=False), delivering():
        assert digest.send_digests() == 0  # not before 07:00
    with time_machine.travel(at(2030, 1, 11, 7, 5), tick=False), delivering():
        assert digest.send_digests() == 1
        assert digest.send_digests() == 0  # once

    (mail,) = [m for m in mailoutbox if m.to == [daily_coordinator.email]]
    assert mail.subject == "Framtidens byer: 2 varsler siden i går"
    assert "Oslo har sendt inn handlingsprogrammet" in mail.body
    assert "Bergen har sendt inn handlingsprogrammet" in mail.body
    held = OutgoingMail.objects.filter(recipient=daily_coordinator, kind="submission_received")
    assert set(held.values_list("status", flat=True)) == {Status.IN_DIGEST}
    assert {n.digest.kind for n in held} == {"notice_digest"}


def test_a_notice_after_seven_waits_for_the_next_morning(daily_coordinator, oslo_programme, contact_oslo, mailoutbox):
    submit(oslo_programme, contact_oslo, at(2030, 1, 11, 7, 30))

    with time_machine.travel(at(2030, 1, 11, 8, 0), tick=False), delivering():
        assert digest.send_digests() == 0
    with time_machine.travel(at(2030, 1, 12, 7, 0), tick=False), delivering():
        assert digest.send_digests() == 1


def test_the_choice_is_made_on_the_profile_page(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Kari",
            "last_name": "Koordinator",
            "email": coordinator.email,
            "language": "nb",
            "notices": Profile.Notices.DAILY,
        },
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=coordinator).notices == Profile.Notices.DAILY
    assert client.get(reverse("accounts:profile")).context["form"]["notices"].initial == Profile.Notices.DAILY


def test_a_bad_choice_gets_a_message_and_nothing_changes(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "", "last_name": "", "email": coordinator.email, "language": "nb", "notices": "hourly"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"notices"}
    assert not Profile.objects.filter(user=coordinator, notices="hourly").exists()
