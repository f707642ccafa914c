"""The meeting pages cost a constant number of queries, with one item or three."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, AgendaItem, Attachment, Decision, Minutes
from tests import factories
from tests.meetings.conftest import Response, gathering_at, invite


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_meetings(n, manager, atp, energy, city, user):
    start = timezone.now() + datetime.timedelta(days=5)
    for _ in range(n):
        meeting = gathering_at(manager, [atp, energy], city, start)
        invite(meeting, user, response=Response.ATTENDING)


@pytest.mark.parametrize("persona", ["manager", "contact_bergen"])
def test_meeting_list_costs_the_same_for_one_and_three_meetings(
    client, request, manager, atp, energy, oslo, recipe, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("meetings:meeting_list")
    add_meetings(1, manager, atp, energy, oslo, request.getfixturevalue("contact_bergen"))
    one = count_queries(client, url)

    add_meetings(2, manager, atp, energy, oslo, request.getfixturevalue("contact_bergen"))
    three = count_queries(client, url)

    assert one == three
    assert three < 20


def add_to_meeting(meeting, n, by, owner):
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting, defaults={"status": Minutes.Status.PUBLISHED})
    for k in range(n):
        item = AgendaItem.objects.create(
            meeting=meeting,
            starts_at=meeting.starts_at + datetime.timedelta(hours=k),
            kind="site_visit",
            title="Befaring",
        )
        item.measures.add(factories.MeasureFactory())
        Attachment.objects.create(
            meeting=meeting,
            agenda_item=item,
            title="Presentasjon",
            file="meetings/x.pdf",
            original_name="x.pdf",
            extension=".pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=by,
        )
        Attachment.objects.create(
            meeting=meeting,
            title="Program",
            file="meetings/y.pdf",
            original_name="y.pdf",
            extension=".pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=by,
        )
        invite(meeting, factories.UserFactory(), response=Response.ATTENDING)
        Decision.objects.create(minutes=minutes, text="Vedtak")
        ActionItem.objects.create(minutes=minutes, text="Oppgave", owner=owner)
        meeting.checklist.create(text="Oppgave", done_by=by, done_at=timezone.now())


@pytest.mark.parametrize("persona", ["manager", "contact_oslo", "contact_bergen"])
def test_meeting_page_costs_the_same_for_one_and_three_items(
    client, request, manager, gathering, contact_bergen, persona
):
    invite(gathering, contact_bergen, response=Response.ATTENDING)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("meetings:meeting_detail", args=[gathering.pk])
    add_to_meeting(gathering, 1, manager, contact_bergen)
    one = count_queries(client, url)

    add_to_meeting(gathering, 2, manager, contact_bergen)
    three = count_queries(client, url)

    assert one == three
    assert three < 20


def add_answers(meeting, n):
    for k in range(n):
        user = factories.UserFactory()
        invite(meeting, user, response=Response.ATTENDING, attended=True)
        services.give_feedback(
            meeting,
            user=user,
            answers={
                "rating": 1 + k % 5,
                "pace": "right",
                "enough_discussion": "yes",
                "host_usefulness": 3,
                "comment": f"Kommentar {k}",
            },
        )
        invite(meeting, factories.UserFactory(), response=Response.ATTENDING)  # has not answered


def test_feedback_summary_costs_the_same_for_one_and_three_answers(client, manager, held):
    client.force_login(manager)
    url = reverse("meetings:feedback_summary", args=[held.pk])
    add_answers(held, 1)
    one = count_queries(client, url)

    add_answers(held, 2)
    three = count_queries(client, url)

    assert one == three
    assert three < 20


def test_invitation_list_costs_the_same_for_one_and_three_invitees(client, manager, held, oslo):
    client.force_login(manager)
    url = reverse("meetings:invitation_list", args=[held.pk])
    add_answers(held, 1)
    one = count_queries(client, url)

    add_answers(held, 2)
    three = count_queries(client, url)

    assert one == three
    assert three < 20
