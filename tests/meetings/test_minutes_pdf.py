"""The minutes as PDF: for those who read them on the meeting page, safe from file links in the text."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Decision, Minutes
from tests import pdf as read_pdf
from tests.meetings.conftest import Response, invite

HOSTILE = '<img src="file:///etc/passwd"> <a rel="attachment" href="file:///etc/passwd">vedlegg</a>'


@pytest.fixture
def minutes(held, manager, contact_bergen):
    invite(held, contact_bergen, response=Response.ATTENDING)
    minutes = Minutes.objects.create(
        meeting=held,
        main_points="Samlingen drøftet parkeringsnormer.\n\nByene deler erfaringer.",
        status=Minutes.Status.PUBLISHED,
        approved_by=manager,
        approved_at=timezone.now(),
        published_at=timezone.now(),
    )
    Decision.objects.create(minutes=minutes, order=1, text="Neste samling holdes i Bergen.")
    ActionItem.objects.create(
        minutes=minutes, text="Sende rapporten til byene", owner=manager, due_date=datetime.date(2030, 2, 1)
    )
    return minutes


def url(meeting):
    return reverse("meetings:minutes_pdf", args=[meeting.pk])


def get_pdf(client, meeting):
    response = client.get(url(meeting))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)


def test_minutes_pdf_for_a_participant(client, contact_bergen, minutes):
    client.force_login(contact_bergen)

    text = read_pdf.text(get_pdf(client, minutes.meeting))

    assert minutes.meeting.title in text
    assert "Samlingen drøftet parkeringsnormer." in text
    assert "Neste samling holdes i Bergen." in text
    assert "Sende rapporten til byene" in text
    assert "01.02.2030" in text


@pytest.mark.parametrize(("language", "when"), [("nb", "04.03.2030 kl. 09.00"), ("en", "4 March 2030, 09:00")])
def test_minutes_pdf_in_the_users_language(client, contact_bergen, minutes, language, when):
    meeting = minutes.meeting
    meeting.starts_at = datetime.datetime(2030, 3, 4, 8, 0, tzinfo=datetime.UTC)  # 09.00 in Oslo
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=6)
    meeting.save(update_fields=["starts_at", "ends_at"])
    client.cookies["django_language"] = language
    client.force_login(contact_bergen)

    text = read_pdf.text(get_pdf(client, meeting))

    assert when in text


def test_draft_minutes_only_for_the_organisers(client, manager, contact_bergen, contact_oslo, minutes):
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.DRAFT, published_at=None)

    client.force_login(contact_bergen)
    assert client.get(url(minutes.meeting)).status_code == 404
    client.force_login(contact_oslo)  # the host city's contact
    assert client.get(url(minutes.meeting)).status_code == 404
    client.force_login(manager)
    assert "Samlingen drøftet parkeringsnormer." in read_pdf.text(get_pdf(client, minutes.meeting))


def test_network_leader_of_the_theme_prints_draft_minutes(client, leader, minutes):
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.APPROVED, published_at=None)
    client.force_login(leader)

    assert "Neste samling holdes i Bergen." in read_pdf.text(get_pdf(client, minutes.meeting))


def test_meeting_without_minutes_is_not_found(client, manager, held):
    client.force_login(manager)

    assert client.get(url(held)).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "partner", "outsider"])
def test_minutes_pdf_hidden_from_those_who_do_not_see_the_meeting(request, client, minutes, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url(minutes.meeting)).status_code == 404


def test_minutes_pdf_anonymous_goes_to_login(client, minutes):
    response = client.get(url(minutes.meeting))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(minutes.meeting)}"


def test_file_links_in_the_minutes_leave_no_trace(client, contact_bergen, minutes):
    Minutes.objects.filter(pk=minutes.pk).update(main_points=HOSTILE)
    Decision.objects.filter(minutes=minutes).update(text=HOSTILE)
    ActionItem.objects.filter(minutes=minutes).update(text=HOSTILE)
    client.force_login(contact_bergen)

    data = get_pdf(client, minutes.meeting)

    assert b"root:x:0:0" not in read_pdf.contents(data)
    assert read_pdf.embedded_files(data) == []
    assert "vedlegg" in read_pdf.text(data)  # printed as text


def test_meeting_page_links_to_the_minutes_pdf(client, contact_bergen, minutes):
    client.force_login(contact_bergen)

    page = client.get(reverse("meetings:meeting_detail", args=[minutes.meeting.pk]))

    assert f'href="{url(minutes.meeting)}"' in page.content.decode()
