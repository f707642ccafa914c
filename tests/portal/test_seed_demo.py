import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command

from actionplans.models import ActionProgramme, Deadline, Draft, Round
from cities.models import City, Membership, Organisation, ThemeArea

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def seeded(db):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=OSLO)):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # a second run changes nothing


def test_seed_demo_loads_the_programme_once(seeded):
    assert City.objects.count() == 13
    assert ThemeArea.objects.count() == 4
    assert Organisation.objects.count() == 12
    assert Round.objects.count() == 2
    assert ActionProgramme.objects.count() == 26
    assert Draft.objects.filter(programme__round__slug="handlingsprogram-2009").count() == 13
    oslo, baerum = City.objects.get(name="Oslo"), City.objects.get(name="Bærum")
    assert (oslo.municipality_number, oslo.county.name, oslo.population) == ("0301", "Oslo", 575475)
    assert (baerum.slug, baerum.municipality_number, baerum.population) == ("baerum", "0219", None)


def test_seed_demo_deadlines(seeded):
    historic = Deadline.objects.get(round__slug="handlingsprogram-2009")
    assert historic.due_date == datetime.date(2009, 1, 15)
    extension = historic.extensions.get()
    assert (extension.old_date, extension.new_date) == (datetime.date(2008, 12, 31), datetime.date(2009, 1, 15))
    current = Deadline.objects.get(round__slug="handlingsprogram-2027")
    assert current.due_date == datetime.date(2027, 1, 15)
    bergen = ActionProgramme.objects.get(round=current.round, city__slug="bergen")
    assert (bergen.status, bergen.submitted_on_time) == ("submitted", True)


def test_seed_demo_users_log_in_with_demo(seeded):
    for username in [
        "kontakt-oslo",
        "kontakt-bergen",
        "koordinator-atp",
        "koordinator-energi",
        "nettverksleder-avfall",
        "departementet",
        "ks",
        "admin",
    ]:
        assert authenticate(username=username, password="demo") is not None, username
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["kontakt-oslo"] == "city_contact"
    assert roles["nettverksleder-avfall"] == "network_leader"
    assert Membership.objects.count() == 7
