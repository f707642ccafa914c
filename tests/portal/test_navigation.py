"""The main navigation is by role: each person sees the sections they may use, and no others."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EVERYONE = ["Overview", "Action programmes", "Calendar"]
NAVIGATION = {
    "contact_oslo": [
        "Overview",
        "Action programmes",
        "Agreements",
        "State instruments",
        "Reporting",
        "Meetings",
        "Invite a colleague",
        "Calendar",
    ],
    "coordinator": [
        "Overview",
        "Action programmes",
        "Reviews",
        "Agreements",
        "State instruments",
        "Reporting",
        "Meetings",
        "Calendar",
    ],
    "manager": [
        "Overview",
        "Action programmes",
        "Reviews",
        "Agreements",
        "State instruments",
        "Reporting",
        "Meetings",
        "Extensions",
        "Reminders",
        "People",
        "Messages",
        "Outbox",
        "Calendar",
    ],
    "partner": [
        "Overview",
        "Action programmes",
        "Agreements",
        "State instruments",
        "Reporting",
        "Meetings",
        "Calendar",
    ],
    "outsider": EVERYONE,
    "superuser": [
        "Overview",
        "Action programmes",
        "Reviews",
        "Agreements",
        "State instruments",
        "Reporting",
        "Meetings",
        "Extensions",
        "Reminders",
        "People",
        "Messages",
        "Outbox",
        "Administration",
        "Calendar",
    ],
}


def navigation(html):
    nav = re.search(r'<nav class="navbar[^"]*"[^>]*aria-label="Main navigation">(.*?)</nav>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r'class="nav-link[^"]*"[^>]*>([^<]+)</a>', nav)]


@pytest.mark.parametrize("persona", list(NAVIGATION))
def test_each_role_sees_its_own_sections(client, request, persona, round_):
    client.force_login(request.getfixturevalue(persona))
    client.cookies["django_language"] = "en"

    html = client.get(reverse("home")).content.decode()

    assert navigation(html) == NAVIGATION[persona]


def test_the_current_section_is_marked(client, manager, round_):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("meetings:meeting_list")).content.decode()
    assert re.search(r'<a class="nav-link active" aria-current="page" href="/meetings/">Meetings</a>', html)


def test_no_navigation_before_logging_in(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "Main navigation" not in html and "Hovednavigasjon" not in html
