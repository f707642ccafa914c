"""Calendar: one meeting as an .ics download, and the personal feed at a secret address.

Every file is parsed back with icalendar, so what is checked is what a
calendar program reads.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from cities.models import Profile
from meetings.calendar import absolute_meeting_url, new_calendar_token
from meetings.models import ActionItem, Invitation, Meeting, Minutes
from meetings.services import create_meeting
from tests import factories

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2030, 2, 1, 12, 0, tzinfo=OSLO)


def at(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def now():
    # An integer timestamp leaves the process time zone alone.
    with time_machine.travel(int(NOW.timestamp()), tick=False):
        yield


def meeting(by, title, starts_at, ends_at, *, invite=(), **fields):
    fields.setdefault("kind", Meeting.Kind.COORDINATION_GROUP)
    created = create_meeting(by=by, title=title, starts_at=starts_at, ends_at=ends_at, **fields)
    Invitation.objects.bulk_create([Invitation(meeting=created, user=user) for user in invite])
    return created


def action_item(meeting, owner, due_date, text="Send inn utkast", minutes_status=Minutes.Status.PUBLISHED, **fields):
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting, defaults={"status": minutes_status})
    return ActionItem.objects.create(minutes=minutes, text=text, owner=owner, due_date=due_date, **fields)


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def events_by_summary(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.events}


def feed_url(user):
    return reverse("calendar_feed", args=[new_calendar_token(user)])


@pytest.fixture
def winter(manager, contact_oslo):
    return meeting(
        manager,
        "Koordineringsgruppen",
        at(2030, 3, 4, 10, 0),
        at(2030, 3, 4, 15, 30),
        invite=[contact_oslo],
        venue="Miljøverndepartementet, møterom 1",
        description="Tilbakemeldinger fra samlingene.",
    )


@pytest.fixture
def summer(manager, contact_oslo, bergen):
    return meeting(
        manager,
        "Nettverkssamling i Bergen",
        at(2030, 6, 10, 9, 0),
        at(2030, 6, 11, 16, 0),
        invite=[contact_oslo],
        kind=Meeting.Kind.NETWORK_GATHERING,
        host_city=bergen,
        venue="Rådhuset",
    )


# --- The personal feed --------------------------------------------------------------------------


def test_feed_lists_the_users_meetings_deadlines_and_action_items(
    client, manager, contact_oslo, contact_bergen, oslo, oslo_programme, bergen_programme, winter, summer
):
    hosted = meeting(manager, "Administrativt møte i Oslo", at(2030, 4, 2, 9), at(2030, 4, 2, 12), host_city=oslo)
    meeting(manager, "Møte uten Oslo", at(2030, 4, 3, 9), at(2030, 4, 3, 12), invite=[contact_bergen])
    meeting(manager, "Møte i fjor", at(2028, 4, 3, 9), at(2028, 4, 3, 12), invite=[contact_oslo])
    action_item(winter, contact_oslo, datetime.date(2030, 3, 20), text="Sende forslag til program")
    action_item(winter, contact_oslo, datetime.date(2030, 3, 21), text="Ferdig punkt", status=ActionItem.Status.DONE)
    action_item(winter, contact_bergen, datetime.date(2030, 3, 22), text="Bergens punkt")

    _, calendar = fetch(client, feed_url(contact_oslo))

    assert sorted(events_by_summary(calendar)) == [
        "Administrativt møte i Oslo",
        "Frist: Handlingsprogram 2030, Oslo",
        "Koordineringsgruppen",
        "Nettverkssamling i Bergen",
        "Oppfølgingspunkt: Sende forslag til program",
    ]
    events = events_by_summary(calendar)
    assert str(events["Koordineringsgruppen"]["UID"]) == f"meeting-{winter.pk}@127.0.0.1"
    assert str(events["Koordineringsgruppen"]["URL"]) == absolute_meeting_url(winter)
    assert str(events["Nettverkssamling i Bergen"]["LOCATION"]) == "Rådhuset, Bergen"
    assert str(events["Administrativt møte i Oslo"]["LOCATION"]) == "Oslo"
    assert str(events["Administrativt møte i Oslo"]["UID"]) == f"meeting-{hosted.pk}@127.0.0.1"
    assert "Tilbakemeldinger fra samlingene." in str(events["Koordineringsgruppen"]["DESCRIPTION"])
    assert str(calendar["X-WR-CALNAME"]) == "Framtidens byer: kontakt-oslo"


@pytest.mark.parametrize("status", [Minutes.Status.DRAFT, Minutes.Status.APPROVED])
def test_feed_leaves_out_action_items_of_unpublished_minutes(client, contact_oslo, winter, summer, status):
    action_item(winter, contact_oslo, datetime.date(2030, 3, 20), text="Utkast til punkt", minutes_status=status)
    action_item(summer, contact_oslo, datetime.date(2030, 6, 20), text="Publisert punkt")

    _, calendar = fetch(client, feed_url(contact_oslo))

    assert sorted(events_by_summary(calendar)) == [
        "Koordineringsgruppen",
        "Nettverkssamling i Bergen",
        "Oppfølgingspunkt: Publisert punkt",
    ]


def test_feed_times_are_oslo_times(client, contact_oslo, winter, summer):
    _, calendar = fetch(client, feed_url(contact_oslo))

    events = events_by_summary(calendar)
    for event, expected in [(events["Koordineringsgruppen"], winter), (events["Nettverkssamling i Bergen"], summer)]:
        assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
        assert event["DTEND"].params["TZID"] == "Europe/Oslo"
        assert event.start == expected.starts_at
        assert event.end == expected.ends_at
        assert event.start.tzinfo == OSLO
    # Wall-clock time in Oslo, in winter (UTC+1) and in summer (UTC+2).
    assert events["Koordineringsgruppen"].start.replace(tzinfo=None) == datetime.datetime(2030, 3, 4, 10, 0)
    assert events["Nettverkssamling i Bergen"].start.replace(tzinfo=None) == datetime.datetime(2030, 6, 10, 9, 0)
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["Europe/Oslo"]


def test_feed_deadlines_all_day_for_the_users_city_only(
    client, contact_oslo, contact_bergen, oslo, oslo_programme, bergen_programme
):
    old = factories.RoundFactory(name="Handlingsprogram 2028", slug="handlingsprogram-2028")
    old.deadline.due_date = datetime.date(2028, 1, 15)
    old.deadline.save(update_fields=["due_date"])
    factories.ProgrammeFactory(round=old, city=oslo)  # due more than a year ago: not in the feed
    next_round = factories.RoundFactory(name="Handlingsprogram 2031", slug="handlingsprogram-2031")
    next_round.deadline.due_date = datetime.date(2031, 1, 15)
    next_round.deadline.save(update_fields=["due_date"])
    programme_2031 = factories.ProgrammeFactory(round=next_round, city=oslo)
    programme_2031.extended_due_date = datetime.date(2031, 1, 29)
    programme_2031.save(update_fields=["extended_due_date"])

    _, calendar = fetch(client, feed_url(contact_oslo))

    events = events_by_summary(calendar)
    assert sorted(events) == ["Frist: Handlingsprogram 2030, Oslo", "Frist: Handlingsprogram 2031, Oslo"]
    this_year = events["Frist: Handlingsprogram 2030, Oslo"]
    assert (this_year.start, this_year.end) == (datetime.date(2030, 1, 15), datetime.date(2030, 1, 16))
    assert not isinstance(this_year.start, datetime.datetime)
    assert "VALUE=DATE" in this_year.to_ical().decode()
    assert events["Frist: Handlingsprogram 2031, Oslo"].start == datetime.date(2031, 1, 29)
    assert str(this_year["URL"]).endswith(reverse("actionplans:programme_detail", args=[oslo_programme.pk]))


def test_feed_of_the_programme_management_has_every_meeting_and_no_deadlines(
    client, manager, contact_bergen, oslo_programme, winter
):
    other = meeting(contact_bergen, "Møte i Bergen", at(2030, 4, 3, 9), at(2030, 4, 3, 12))

    _, calendar = fetch(client, feed_url(manager))

    assert sorted(events_by_summary(calendar)) == [winter.title, other.title]


def test_feed_cancelled_meeting_is_marked_cancelled(client, manager, contact_oslo, winter, summer):
    summer.status = Meeting.Status.CANCELLED
    summer.save(update_fields=["status"])

    _, calendar = fetch(client, feed_url(contact_oslo))

    events = events_by_summary(calendar)
    assert (str(events["Nettverkssamling i Bergen"]["STATUS"]), str(events["Koordineringsgruppen"]["STATUS"])) == (
        "CANCELLED",
        "CONFIRMED",
    )


def test_feed_is_private_and_not_stored(client, contact_oslo):
    response, _ = fetch(client, feed_url(contact_oslo))

    assert (response["Cache-Control"], response["Content-Disposition"]) == (
        "private, no-store",
        'attachment; filename="framtidens-byer.ics"',
    )


def test_feed_unknown_token_not_found(client, contact_oslo):
    new_calendar_token(contact_oslo)

    assert client.get(reverse("calendar_feed", args=["not-a-key"])).status_code == 404


def test_feed_of_an_inactive_user_not_found(client, contact_oslo):
    url = feed_url(contact_oslo)
    contact_oslo.is_active = False
    contact_oslo.save(update_fields=["is_active"])

    assert client.get(url).status_code == 404


def test_feed_costs_the_same_for_one_and_three_meetings(client, manager, contact_oslo, oslo_programme):
    url = feed_url(contact_oslo)

    def add(n):
        for i in range(n):
            created = meeting(
                manager, f"Møte {i}", at(2030, 3, 4 + i, 10), at(2030, 3, 4 + i, 12), invite=[contact_oslo]
            )
            action_item(created, contact_oslo, datetime.date(2030, 3, 20 + i))

    def count():
        with CaptureQueriesContext(connection) as queries:
            fetch(client, url)
        return len(queries)

    add(1)
    one = count()
    add(2)
    three = count()

    assert one == three
    assert three < 10


# --- The settings page: the feed address and a new key ------------------------------------------


def test_settings_page_without_a_key_offers_one_and_makes_none(client, contact_oslo):
    client.force_login(contact_oslo)

    response = client.get(reverse("calendar_settings"))

    assert response.status_code == 200
    assert response.context["feed_url"] is None
    assert "Lag kalenderadressen min" in response.content.decode()
    assert not Profile.objects.filter(calendar_token__isnull=False).exists()


def test_settings_page_shows_the_absolute_feed_address(client, contact_oslo):
    token = new_calendar_token(contact_oslo)
    client.force_login(contact_oslo)

    response = client.get(reverse("calendar_settings"))

    assert response.context["feed_url"] == f"http://127.0.0.1:8000/calendar/{token}.ics"
    assert f'value="http://127.0.0.1:8000/calendar/{token}.ics"' in response.content.decode()


def test_new_key_revokes_the_old(client, contact_oslo):
    client.force_login(contact_oslo)
    response = client.post(reverse("calendar_settings"))
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_settings")
    old = Profile.objects.get(user=contact_oslo).calendar_token
    assert len(old) == 43
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 200

    client.post(reverse("calendar_settings"))

    new = Profile.objects.get(user=contact_oslo).calendar_token
    assert new != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200


def test_settings_page_needs_login(client, db):
    url = reverse("calendar_settings")

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert not Profile.objects.exists()


# --- One meeting as .ics ------------------------------------------------------------------------


def test_meeting_ics_is_a_download_with_the_meeting(client, contact_oslo, winter):
    client.force_login(contact_oslo)
    url = reverse("meetings:meeting_ics", args=[winter.pk])

    response, calendar = fetch(client, url)

    assert response["Content-Disposition"] == 'attachment; filename="koordineringsgruppen-20300304.ics"'
    [event] = calendar.events
    assert str(event["UID"]) == f"meeting-{winter.pk}@127.0.0.1"
    assert str(event["SUMMARY"]) == "Koordineringsgruppen"
    assert str(event["LOCATION"]) == "Miljøverndepartementet, møterom 1"
    assert (event.start, event.end) == (winter.starts_at, winter.ends_at)
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    # The same UID as in the feed, so that a calendar holding both keeps one event.
    _, again = fetch(client, url)
    assert str(again.events[0]["UID"]) == str(event["UID"])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("contact_oslo", 200),  # invited
        ("contact_bergen", 200),  # contact of the host city
        ("manager", 200),  # organiser
        ("coordinator", 404),
        ("partner", 404),
        ("outsider", 404),
    ],
)
def test_meeting_ics_permissions(request, client, summer, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("meetings:meeting_ics", args=[summer.pk]))

    assert response.status_code == expected


def test_meeting_ics_needs_login(client, summer):
    url = reverse("meetings:meeting_ics", args=[summer.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_meeting_ics_unknown_meeting_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse("meetings:meeting_ics", args=[999999])).status_code == 404
