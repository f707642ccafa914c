import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from actionplans.models import ActionProgramme, Deadline, DeadlineExtension, Draft, Round
from cities.models import City, Membership, Organisation, ThemeArea
from meetings.models import AgendaItem, ChecklistTemplateItem, Invitation, Meeting, Minutes

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def seeded(db):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=OSLO)):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # a second run changes nothing


def test_seed_demo_loads_the_programme_once(seeded):
    assert City.objects.count() == 13
    assert ThemeArea.objects.count() == 4
    # 12 state bodies, associations and businesses; two county authorities and the consultancy.
    assert Organisation.objects.count() == 15
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
        "konsulent",
        "fylkeskommune-hordaland",
        "kontakt-trondheim",
        "kontakt-baerum",
        "admin",
    ]:
        assert authenticate(RequestFactory().post("/"), username=username, password="demo") is not None, username
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["kontakt-oslo"] == "city_contact"
    assert roles["nettverksleder-avfall"] == "network_leader"
    assert roles["konsulent"] == "consultant"
    assert roles["fylkeskommune-rogaland"] == "county_authority"
    # A contact for each of the 13 cities, so that every city's reminders reach someone.
    assert Membership.objects.filter(role="city_contact").count() == 13
    assert not City.objects.without_contact().exists()


def test_seed_demo_hosting_recipe(seeded):
    recipe = list(ChecklistTemplateItem.objects.values_list("text", flat=True))
    assert len(recipe) == 10
    assert recipe[0].startswith("Lag et program med god tid til diskusjon")
    assert any("fylkeskommunen" in text for text in recipe)


def test_seed_demo_programme_meetings_2008_2009(seeded):
    historic = Meeting.objects.filter(starts_at__year__lt=2010).order_by("starts_at")
    assert [
        (m.starts_at.astimezone(OSLO).date(), m.ends_at.astimezone(OSLO).date(), m.kind, m.status) for m in historic
    ] == [
        (datetime.date(2008, 8, 21), datetime.date(2008, 8, 22), "administrative", "held"),
        (datetime.date(2008, 9, 24), datetime.date(2008, 9, 24), "administrative", "held"),
        (datetime.date(2008, 10, 16), datetime.date(2008, 10, 16), "coordination_group", "held"),
        (datetime.date(2008, 12, 4), datetime.date(2008, 12, 4), "coordination_group", "broken_off"),
        (datetime.date(2008, 12, 16), datetime.date(2008, 12, 16), "coordination_group", "held"),
        (datetime.date(2009, 1, 22), datetime.date(2009, 1, 22), "administrative", "held"),
        (datetime.date(2009, 3, 9), datetime.date(2009, 3, 10), "grand_gathering", "held"),
        (datetime.date(2009, 5, 19), datetime.date(2009, 5, 19), "political", "held"),
    ]
    assert historic[0].host_city.name == "Oslo"
    assert historic[0].starts_at == datetime.datetime(2008, 8, 21, 10, 0, tzinfo=OSLO)
    broken_off, continued = historic[3], historic[4]
    assert continued.continues == broken_off


def test_seed_demo_december_minutes_link_the_deadline_decision(seeded):
    minutes = Minutes.objects.get(meeting__starts_at__date=datetime.date(2008, 12, 16))
    assert minutes.status == "published"
    for point in ["for tette", "mer tid til diskusjon", "15.01.2009", "ingen felles mal", "klimaregnskapsmodell"]:
        assert point in minutes.main_points, point
    extension = DeadlineExtension.objects.get(deadline__round__slug="handlingsprogram-2009")
    linked = minutes.decisions.get(deadline_extension__isnull=False)
    assert linked.deadline_extension == extension
    assert "15.01.2009" in linked.text
    assert minutes.decisions.count() == 4
    assert set(minutes.action_items.values_list("status", flat=True)) == {"done"}


def test_seed_demo_upcoming_gathering_in_bergen(seeded):
    gathering = Meeting.objects.get(starts_at__year__gte=2026)
    assert (gathering.kind, gathering.host_city.name, gathering.status) == ("network_gathering", "Bergen", "planned")
    # A few weeks after the day the demo was loaded (30.11.2026), on a Tuesday, Oslo time.
    assert gathering.starts_at == datetime.datetime(2026, 12, 22, 10, 0, tzinfo=OSLO)
    assert gathering.ends_at == datetime.datetime(2026, 12, 23, 15, 0, tzinfo=OSLO)
    kinds = list(gathering.agenda.values_list("kind", flat=True))
    assert {"presentation", "site_visit", "discussion"} <= set(kinds)
    visit = gathering.agenda.get(kind="site_visit")
    assert [m.title for m in visit.measures.all()] == ["Bybanen, andre byggetrinn"]
    assert visit.measures.get().programme.city.name == "Bergen"
    # Every demo user but the superuser: 13 city contacts and 8 others.
    assert gathering.invitations.count() == 21
    assert gathering.checklist.count() == 10
    assert gathering.checklist.filter(done_at__isnull=False).count() == 4


def test_seed_demo_meetings_once(seeded):
    assert Meeting.objects.count() == 9
    assert Invitation.objects.filter(meeting__starts_at__year__gte=2026).count() == 21
    assert AgendaItem.objects.count() == 10


def test_seed_demo_agreements(seeded):
    from agreements.models import Agreement

    signed_2009 = Agreement.objects.filter(signed_date=datetime.date(2009, 5, 19))
    assert signed_2009.count() == 2
    kinds = set(Agreement.objects.values_list("kind", flat=True))
    assert kinds == {"long_term_economic", "pilot_project", "competence_building", "joint_study", "shared_data"}
    reward = Agreement.objects.get(title__startswith="Belønningsordningen")
    assert (reward.status, sorted(m.programme.city.name for m in reward.measures.all())) == (
        "negotiating",
        ["Bergen", "Oslo"],
    )
    assert list(reward.status_changes.values_list("to_status", flat=True)) == [
        "identified",
        "in_preparation",
        "negotiating",
    ]
    assert Agreement.objects.count() == 8
