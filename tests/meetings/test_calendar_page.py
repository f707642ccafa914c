"""The calendar page explains the feed and how to subscribe, offers the address to copy (a read-only
field, a copy button for JavaScript) and as a webcal:// link, and speaks of an old address only
when there was one."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cities.models import Profile
from meetings.calendar import new_calendar_token
from meetings.views.calendar import webcal

OLD_STOPS = "The old address stops working at once"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def test_page_explains_the_feed_and_how_to_subscribe(client, contact_oslo):
    token = new_calendar_token(contact_oslo)
    client.force_login(contact_oslo)

    page = client.get(reverse("calendar_settings")).content.decode()

    assert "the meetings you are invited to" in page
    assert "The calendar is read-only" in page
    assert "How to subscribe" in page
    for program in ("Outlook", "Google Calendar", "Apple Calendar", "Subscribe from web", "From URL"):
        assert program in page, program
    assert f'href="webcal://127.0.0.1:8000/calendar/{token}.ics"' in page
    assert f'value="http://127.0.0.1:8000/calendar/{token}.ics" readonly' in page
    assert 'data-copy="feed-url"' in page
    assert 'data-copied="The address was copied."' in page
    assert OLD_STOPS in page


def test_copy_button_waits_for_javascript(client, contact_oslo):
    new_calendar_token(contact_oslo)
    client.force_login(contact_oslo)

    page = client.get(reverse("calendar_settings")).content.decode()

    button = page[page.index("<button", page.index('id="feed-url"')) :]
    button = button[: button.index(">")]
    assert "data-copy=" in button and " hidden" in button


def test_without_an_address_no_word_of_an_old_one(client, contact_oslo):
    client.force_login(contact_oslo)

    page = client.get(reverse("calendar_settings")).content.decode()

    assert "You have no calendar address yet." in page
    assert OLD_STOPS not in page
    assert "old address" not in page
    assert "webcal://" not in page


def test_first_address_is_announced_without_an_old_one(client, contact_oslo):
    client.force_login(contact_oslo)

    response = client.post(reverse("calendar_settings"))

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your calendar address is ready. Add it in your calendar program."
    ]
    assert Profile.objects.get(user=contact_oslo).calendar_token


def test_new_address_says_the_old_one_stops_working(client, contact_oslo):
    new_calendar_token(contact_oslo)
    client.force_login(contact_oslo)

    response = client.post(reverse("calendar_settings"))

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You have a new calendar address. The old one no longer works."
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://portal.example/calendar/abc.ics", "webcal://portal.example/calendar/abc.ics"),
        ("http://127.0.0.1:8000/calendar/abc.ics", "webcal://127.0.0.1:8000/calendar/abc.ics"),
    ],
)
def test_webcal_address(url, expected):
    assert webcal(url) == expected
