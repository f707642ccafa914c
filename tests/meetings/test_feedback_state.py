"""The survey's question on the state: "Were the state bodies concrete about what they can contribute?" on a
scale of 1 to 5 (or no state body took part) with a comment; in the summary of a gathering, and across the
gatherings an organiser has, oldest first."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Feedback, Meeting
from tests import factories
from tests.meetings.conftest import Response, gathering_at, invite
from tests.meetings.test_feedback import answer


@pytest.fixture
def participants(held, contact_oslo, contact_bergen, coordinator):
    invite(held, contact_oslo, contact_bergen, coordinator, response=Response.ATTENDING, attended=True)
    return held


def post(client, user, meeting, **overrides):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.post(reverse("meetings:feedback", args=[meeting.pk]), answer(**overrides))


# --- Answering ------------------------------------------------------------------------------------------------


def test_the_survey_asks_about_the_state(client, participants, contact_bergen):
    client.force_login(contact_bergen)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("meetings:feedback", args=[participants.pk])).text

    assert "Were the state bodies concrete about what they can contribute? (1 not at all – 5 very concrete)" in html
    assert 'name="state_concrete"' in html
    assert "No state body took part" in html
    assert 'name="state_comment"' in html


def test_a_participant_answers_the_question_on_the_state(client, participants, contact_bergen):
    response = post(client, contact_bergen, participants, state_concrete="2", state_comment="Uklart hva Enova tilbyr")

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.state_concrete, feedback.state_comment) == (2, "Uklart hva Enova tilbyr")


def test_no_state_body_took_part_is_no_score(client, participants, contact_bergen):
    response = post(client, contact_bergen, participants, state_concrete="")

    assert response.status_code == 302
    assert (Feedback.objects.get().state_concrete, Feedback.objects.get().state_comment) == (None, "")


@pytest.mark.parametrize("value", ["0", "6", "fem", "2.5"])
def test_a_score_off_the_scale_is_refused(client, participants, contact_bergen, value):
    response = post(client, contact_bergen, participants, state_concrete=value)

    assert response.status_code == 200
    assert response.context["form"].errors["state_concrete"]
    assert not Feedback.objects.exists()


def test_the_database_keeps_the_score_on_the_scale(participants, contact_bergen):
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            meeting=participants,
            user=contact_bergen,
            rating=3,
            pace="right",
            enough_discussion="yes",
            state_concrete=6,
        )


# --- The summary ----------------------------------------------------------------------------------------------


@pytest.fixture
def answered(participants, contact_oslo, contact_bergen, coordinator):
    for user, concrete, comment in [
        (contact_oslo, 4, "Husbanken var tydelig"),
        (contact_bergen, 1, ""),
        (coordinator, None, "Ble ikke tatt opp"),
    ]:
        services.give_feedback(
            participants,
            user=user,
            answers={
                "rating": 4,
                "pace": "right",
                "enough_discussion": "yes",
                "state_concrete": concrete,
                "state_comment": comment,
            },
        )
    return participants


def summary(client, user, meeting):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("meetings:feedback_summary", args=[meeting.pk]))
    assert response.status_code == 200
    return response


def test_the_summary_shows_the_question_on_the_state(client, manager, answered):
    response = summary(client, manager, answered)

    assert float(response.context["figures"]["state_average"]) == pytest.approx(2.5)  # (4 + 1) / 2
    assert response.context["state"] == [
        ("1", 1),
        ("2", 0),
        ("3", 0),
        ("4", 1),
        ("5", 0),
        ("No state body took part", 1),
    ]
    # Sorted by their text, without names.
    assert response.context["state_comments"] == ["Ble ikke tatt opp", "Husbanken var tydelig"]
    html = response.text
    assert '<dd class="col-sm-6 col-lg-8" id="average-state">2.5</dd>' in html
    assert '<h2 id="state-comments-heading" class="h4">Comments on the state bodies\' contribution</h2>' in html
    assert "Husbanken var tydelig" in html
    for username in ("kontakt-oslo", "kontakt-bergen", "koordinator-atp"):
        assert username not in html


def test_the_summary_without_answers_on_the_state(client, manager, participants):
    response = summary(client, manager, participants)

    assert response.context["figures"]["state_average"] is None
    assert '<dd class="col-sm-6 col-lg-8" id="average-state">–</dd>' in response.text


# --- Across gatherings ----------------------------------------------------------------------------------------


def held_gathering(by, theme, city, days_ago, title, scores=()):
    """A gathering held `days_ago`, with an answer of each of `scores` (the state's, the rating 3)."""
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    meeting = gathering_at(
        by, [theme], city, starts, ends_at=starts + datetime.timedelta(hours=6), status=Meeting.Status.HELD, title=title
    )
    for score in scores:
        user = factories.UserFactory()
        invite(meeting, user, response=Response.ATTENDING, attended=True)
        Feedback.objects.create(
            meeting=meeting, user=user, rating=3, pace="right", enough_discussion="yes", state_concrete=score
        )
    return meeting


@pytest.fixture
def gatherings(manager, atp, energy, oslo, recipe):
    """Three land-use gatherings (state scores 2 and 3; 3 and 4 and none; 5), an energy gathering, a later
    land-use one and a land-use meeting that is no gathering."""
    first = held_gathering(manager, atp, oslo, 300, "Første samling", [2, 3])
    second = held_gathering(manager, atp, oslo, 200, "Andre samling", [3, 4, None])
    third = held_gathering(manager, atp, oslo, 100, "Tredje samling", [5])
    energy_one = held_gathering(manager, energy, oslo, 150, "Energisamling", [1])
    later = held_gathering(manager, atp, oslo, 50, "Senere samling", [1])
    starts = timezone.now() - datetime.timedelta(days=120)
    gathering_at(
        manager,
        [atp],
        oslo,
        starts,
        kind=Meeting.Kind.COORDINATION_GROUP,
        title="Koordineringsgruppen",
        ends_at=starts + datetime.timedelta(hours=2),
        status=Meeting.Status.HELD,
    )
    return {"first": first, "second": second, "third": third, "energy": energy_one, "later": later}


def trend(response):
    return [
        (g["title"], g["answers"], g["state_average"] and float(g["state_average"])) for g in response.context["trend"]
    ]


def test_the_trend_shows_the_gatherings_up_to_this_one_oldest_first(client, manager, gatherings):
    response = summary(client, manager, gatherings["third"])

    assert trend(response) == [
        ("Første samling", 2, 2.5),
        ("Andre samling", 3, 3.5),  # the answer with no state body left out
        ("Energisamling", 1, 1.0),
        ("Tredje samling", 1, 5.0),
    ]
    assert [g["current"] for g in response.context["trend"]] == [False, False, False, True]
    html = response.text
    assert "<caption>The surveys of the gatherings you organise, up to this one, oldest first" in html
    assert reverse("meetings:feedback_summary", args=[gatherings["first"].pk]) in html


def test_a_network_leader_sees_the_trend_of_their_networks_gatherings(client, leader, gatherings):
    response = summary(client, leader, gatherings["third"])

    assert [title for title, *_rest in trend(response)] == ["Første samling", "Andre samling", "Tredje samling"]


def test_the_trend_is_the_last_gatherings(client, manager, gatherings):
    response = summary(client, manager, gatherings["later"])

    assert len(response.context["trend"]) == 5
    assert response.context["trend"][-1]["title"] == "Senere samling"
    assert services.feedback_trend(manager, gatherings["later"], limit=2)[0]["title"] == "Tredje samling"


def test_the_summary_costs_the_same_for_one_and_many_gatherings(client, manager, atp, oslo, recipe):
    client.force_login(manager)
    last = held_gathering(manager, atp, oslo, 10, "Siste", [4])
    url = reverse("meetings:feedback_summary", args=[last.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for i in range(6):
        held_gathering(manager, atp, oslo, 100 + i, f"Samling {i}", [i % 5 + 1, 3])

    assert queries() == one
