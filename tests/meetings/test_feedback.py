"""Feedback after a gathering: one answer per participant, editable while the survey is open;
the organisers' summary with its figures, anonymous comments and who has not answered."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Feedback, Meeting
from tests import factories
from tests.meetings.conftest import Response, invite


def answer(**overrides):
    return {
        "rating": "4",
        "pace": "right",
        "enough_discussion": "yes",
        "host_usefulness": "5",
        "comment": "",
        **overrides,
    }


def travel(moment):
    return time_machine.travel(int(moment.timestamp()), tick=False)


@pytest.fixture
def participants(held, contact_oslo, contact_bergen, coordinator, partner, leader):
    """Oslo and Bergen attended, the coordinator said yes (attendance not recorded), KS said no,
    the network leader said yes but was recorded absent."""
    invite(held, contact_oslo, contact_bergen, response=Response.ATTENDING, attended=True)
    invite(held, coordinator, response=Response.ATTENDING)
    invite(held, partner, response=Response.NOT_ATTENDING)
    invite(held, leader, response=Response.ATTENDING, attended=False)
    return held


# --- Answering --------------------------------------------------------------------------------


def test_feedback_a_participant_answers(client, participants, contact_bergen):
    client.force_login(contact_bergen)
    url = reverse("meetings:feedback", args=[participants.pk])

    page = client.get(url)
    response = client.post(url, answer(comment="Nyttige befaringer"))

    assert page.status_code == 200
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.rating, feedback.pace, feedback.enough_discussion) == (
        contact_bergen,
        4,
        "right",
        "yes",
    )
    assert (feedback.host_usefulness, feedback.comment) == (5, "Nyttige befaringer")


def test_feedback_second_answer_updates_the_first(client, participants, contact_bergen):
    client.force_login(contact_bergen)
    url = reverse("meetings:feedback", args=[participants.pk])

    client.post(url, answer(rating="2", pace="too_tight"))
    client.post(url, answer(rating="3", pace="too_tight", host_usefulness=""))
    page = client.get(url)

    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.pace, feedback.host_usefulness) == (3, "too_tight", None)
    assert page.context["form"].initial["rating"] == 3


def test_feedback_participant_by_answer_while_attendance_is_not_recorded(client, participants, coordinator):
    client.force_login(coordinator)

    client.post(reverse("meetings:feedback", args=[participants.pk]), answer())

    assert Feedback.objects.get().user == coordinator


def test_feedback_checks_the_answers(client, participants, contact_bergen):
    client.force_login(contact_bergen)

    response = client.post(reverse("meetings:feedback", args=[participants.pk]), answer(rating="7", pace=""))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"rating", "pace"}
    assert not Feedback.objects.exists()


def test_feedback_refused_after_the_survey_closes(client, participants, contact_bergen):
    client.force_login(contact_bergen)
    client.cookies["django_language"] = "en"
    url = reverse("meetings:feedback", args=[participants.pk])
    client.post(url, answer(rating="5"))

    with travel(participants.feedback_closes_at + datetime.timedelta(seconds=1)):
        client.force_login(contact_bergen)  # the earlier session has idled out by then (SESSION_IDLE_HOURS)
        page = client.get(url)
        response = client.post(url, answer(rating="1"), follow=True)

    assert page.context["is_open"] is False
    assert "The feedback survey closed" in page.content.decode()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The feedback survey for this meeting is closed."]
    assert Feedback.objects.get().rating == 5


def test_feedback_not_before_the_gathering_is_held(client, gathering, contact_bergen):
    invite(gathering, contact_bergen, response=Response.ATTENDING)
    client.force_login(contact_bergen)

    client.post(reverse("meetings:feedback", args=[gathering.pk]), answer())

    assert not Feedback.objects.exists()


def test_feedback_only_for_gatherings(manager, contact_bergen, atp):
    now = timezone.now()
    coordination = Meeting.objects.create(
        kind=Meeting.Kind.COORDINATION_GROUP,
        title="KG",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
        created_by=manager,
    )
    invite(coordination, contact_bergen, response=Response.ATTENDING, attended=True)

    with pytest.raises(ValidationError) as closed:
        services.give_feedback(
            coordination, user=contact_bergen, answers={"rating": 3, "pace": "right", "enough_discussion": "yes"}
        )
    assert closed.value.code == "closed"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("partner", 403),  # said no
        ("leader", 403),  # recorded absent (and, as the network's leader, may see the meeting)
        ("contact_oslo", 200),  # attended
        ("manager", 403),  # organiser, not a participant
        ("contact_bergen", 200),
        ("outsider", 404),
    ],
)
def test_feedback_page_only_for_participants(client, request, participants, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("meetings:feedback", args=[participants.pk])

    assert client.get(url).status_code == status
    post = client.post(url, answer())

    assert post.status_code == (302 if status == 200 else status)
    assert Feedback.objects.count() == (1 if status == 200 else 0)


def test_feedback_host_contact_not_invited_is_refused(client, held, contact_oslo):
    client.force_login(contact_oslo)  # Oslo hosts, but its contact was not invited

    assert client.post(reverse("meetings:feedback", args=[held.pk]), answer()).status_code == 403
    assert not Feedback.objects.exists()


# --- The summary ------------------------------------------------------------------------------


@pytest.fixture
def answered(participants, contact_oslo, contact_bergen, coordinator):
    for user, answers in [
        (
            contact_oslo,
            {
                "rating": 5,
                "pace": "too_tight",
                "enough_discussion": "no",
                "host_usefulness": 4,
                "comment": "Mer tid til diskusjon",
            },
        ),
        (
            contact_bergen,
            {"rating": 4, "pace": "too_tight", "enough_discussion": "partly", "host_usefulness": 5, "comment": ""},
        ),
        (
            coordinator,
            {
                "rating": 2,
                "pace": "right",
                "enough_discussion": "no",
                "host_usefulness": None,
                "comment": "For tett program",
            },
        ),
    ]:
        services.give_feedback(participants, user=user, answers=answers)
    return participants


def test_feedback_summary_figures(client, manager, answered, leader):
    factories.UserFactory(username="nobody")
    another = factories.UserFactory(username="deltaker", first_name="Dag", last_name="Deltaker")
    invite(answered, another, response=Response.ATTENDING, attended=True)
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("meetings:feedback_summary", args=[answered.pk]))

    figures = response.context["figures"]
    assert figures["answers"] == 3
    assert float(figures["rating"]) == pytest.approx(11 / 3)  # (5 + 4 + 2) / 3
    assert float(figures["host_usefulness"]) == pytest.approx(4.5)  # (4 + 5) / 2; "none" is left out
    assert response.context["pace"] == [("Too tight", 2), ("About right", 1), ("Too loose", 0)]
    assert response.context["enough"] == [("Yes", 0), ("Partly", 1), ("No", 2)]
    assert response.context["comments"] == ["For tett program", "Mer tid til diskusjon"]
    assert [i.user.username for i in response.context["missing"]] == ["deltaker"]
    html = response.content.decode()
    assert '<dd class="col-sm-6 col-lg-8" id="average-rating">3.7</dd>' in html
    assert '<dd class="col-sm-6 col-lg-8" id="average-host">4.5</dd>' in html
    assert "Dag Deltaker" in html
    # The answers carry no names.
    for username in ("kontakt-oslo", "kontakt-bergen", "koordinator-atp"):
        assert username not in html


def test_feedback_summary_without_answers(client, manager, participants):
    client.force_login(manager)

    response = client.get(reverse("meetings:feedback_summary", args=[participants.pk]))

    assert response.context["figures"]["answers"] == 0
    assert response.context["figures"]["rating"] is None
    assert sorted(i.user.username for i in response.context["missing"]) == [
        "kontakt-bergen",
        "kontakt-oslo",
        "koordinator-atp",
    ]


def test_feedback_summary_for_the_network_leader_organising(client, answered, leader):
    client.force_login(leader)

    assert client.get(reverse("meetings:feedback_summary", args=[answered.pk])).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("contact_bergen", 403), ("contact_oslo", 403), ("outsider", 404)])
def test_feedback_summary_refused_to_participants_and_others(client, request, answered, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("meetings:feedback_summary", args=[answered.pk])).status_code == status
