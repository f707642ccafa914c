"""The minutes list who attended, from the invitations' attendance, on the meeting page, in the editor
and in the PDF; while attendance is not recorded, those who said they would come, marked as such."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Minutes
from tests import factories
from tests import pdf as read_pdf
from tests.meetings.conftest import Response, invite


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def people(db):
    return {
        "kari": factories.UserFactory(first_name="Kari", last_name="Nordmann"),
        "ola": factories.UserFactory(first_name="Ola", last_name="Hansen"),
        "per": factories.UserFactory(first_name="Per", last_name="Berg"),
        "siri": factories.UserFactory(first_name="Siri", last_name="Dahl"),
    }


@pytest.fixture
def published(held, manager):
    return Minutes.objects.create(
        meeting=held,
        main_points="Hovedpunkter",
        status=Minutes.Status.PUBLISHED,
        approved_by=manager,
        approved_at=timezone.now(),
        published_at=timezone.now(),
    )


def recorded(held, people):
    """Kari and Ola attended; Per said yes but did not come; Siri said no."""
    invite(held, people["kari"], response=Response.ATTENDING, attended=True)
    invite(held, people["ola"], response=Response.PENDING, attended=True)
    invite(held, people["per"], response=Response.ATTENDING, attended=False)
    invite(held, people["siri"], response=Response.NOT_ATTENDING, attended=False)


def pdf_text(client, meeting):
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    return " ".join(read_pdf.text(b"".join(response.streaming_content)).split())  # one line, as table cells wrap


def test_meeting_page_lists_who_attended(client, held, people, published):
    recorded(held, people)
    client.force_login(people["kari"])

    page = client.get(reverse("meetings:meeting_detail", args=[held.pk])).content.decode()

    assert '<p id="attendees">Ola Hansen, Kari Nordmann</p>' in page
    assert "Registered as attending" not in page


def test_pdf_lists_who_attended(client, held, people, published):
    recorded(held, people)
    client.force_login(people["kari"])

    text = pdf_text(client, held)

    assert "Attended" in text
    assert "Ola Hansen, Kari Nordmann" in text
    assert "Per Berg" not in text
    assert "Siri Dahl" not in text


def test_before_attendance_is_recorded_those_who_said_yes(client, held, people, published):
    invite(held, people["kari"], people["per"], response=Response.ATTENDING)
    invite(held, people["siri"], response=Response.NOT_ATTENDING)
    client.force_login(people["kari"])

    page = client.get(reverse("meetings:meeting_detail", args=[held.pk])).content.decode()
    text = pdf_text(client, held)

    assert "Registered as attending" in page
    assert "Per Berg, Kari Nordmann" in page
    assert "attendance has not been recorded" in page
    assert "Registered as attending" in text
    assert "Per Berg, Kari Nordmann" in text
    assert "Siri Dahl" not in text


def test_editor_shows_who_attended(client, manager, held, people):
    recorded(held, people)
    client.force_login(manager)

    page = client.get(reverse("meetings:minutes_edit", args=[held.pk])).content.decode()

    assert "Ola Hansen, Kari Nordmann" in page
    assert reverse("meetings:invitation_list", args=[held.pk]) in page


def test_names_are_escaped(client, held, published):
    user = factories.UserFactory(first_name="<b>Eva</b>", last_name="Lie")
    invite(held, user, response=Response.ATTENDING, attended=True)
    client.force_login(user)

    page = client.get(reverse("meetings:meeting_detail", args=[held.pk])).content.decode()

    assert "&lt;b&gt;Eva&lt;/b&gt; Lie" in page
