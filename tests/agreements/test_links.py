"""Links both ways: a measure's page shows the agreements it is part of and the site visits that
showed it, minutes show the agreements their decisions led to, and an agreement's status change
may name the decision behind it. Each only to those who may open what it links to."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement
from meetings.models import AgendaItem, Decision, Meeting, Minutes
from meetings.services import create_meeting
from tests import factories


@pytest.fixture
def measure(bergen_submitted, atp):
    return factories.MeasureFactory(programme=bergen_submitted, theme_area=atp, title="Bybane")


@pytest.fixture
def decision(manager, atp, bergen):
    starts = timezone.now() - datetime.timedelta(days=3)
    meeting = create_meeting(
        by=manager,
        theme_areas=[atp],
        host_city=bergen,
        kind=Meeting.Kind.NETWORK_GATHERING,
        title="Samling i Bergen",
        venue="Rådhuset",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        status=Meeting.Status.HELD,
    )
    minutes = Minutes.objects.create(meeting=meeting, main_points="Bybanen", status=Minutes.Status.PUBLISHED)
    return Decision.objects.create(minutes=minutes, text="Gå videre med en avtale om bybanen")


@pytest.fixture
def agreement(manager, atp, measure, decision):
    agreement = Agreement.objects.create(title="Bybaneavtalen", kind="long_term_economic", created_by=manager)
    agreement.theme_areas.set([atp])
    agreement.measures.set([measure])
    agreement.decisions.set([decision])
    return agreement


def html(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_measure_shows_its_agreement_and_its_site_visit(client, agreement, measure, decision, manager, coordinator):
    AgendaItem.objects.create(
        meeting=decision.minutes.meeting,
        kind=AgendaItem.Kind.SITE_VISIT,
        title="Befaring",
        city=measure.programme.city,
        starts_at=decision.minutes.meeting.starts_at,
    ).measures.set([measure])
    agreement_url = reverse("agreements:agreement_detail", args=[agreement.pk])
    meeting_url = reverse("meetings:meeting_detail", args=[decision.minutes.meeting_id])

    visit = f'Shown on site visits: <a href="{meeting_url}">Samling i Bergen</a>'
    link = f'Agreements: <a href="{agreement_url}">Bybaneavtalen</a>'

    page = html(client, manager, reverse("actionplans:programme_detail", args=[measure.programme_id]))
    assert link in page and visit in page
    # The coordinator reads the agreement of its theme, but was not invited to the gathering.
    page = html(client, coordinator, reverse("actionplans:review_detail", args=[measure.programme_id, "atp"]))
    assert link in page and "Samling i Bergen" not in page


def test_an_agreement_the_reader_may_not_open_is_not_linked(client, agreement, measure, partner):
    # KS is no party and the agreement is not in a theme of its own: the programme is readable, the agreement not.
    page = html(client, partner, reverse("actionplans:programme_detail", args=[measure.programme_id]))

    assert "Bybane" in page
    assert "Bybaneavtalen" not in page


def test_minutes_show_the_agreement_a_decision_led_to(client, agreement, decision, manager):
    page = html(client, manager, reverse("meetings:meeting_detail", args=[decision.minutes.meeting_id]))

    assert "Led to:" in page
    assert reverse("agreements:agreement_detail", args=[agreement.pk]) in page


def test_a_status_change_names_the_decision_behind_it(client, agreement, decision, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    client.post(
        reverse("agreements:agreement_status", args=[agreement.pk]),
        {"to_status": Agreement.Status.IN_PREPARATION, "comment": "", "decision": decision.pk},
    )

    change = agreement.status_changes.get()
    assert change.decision == decision
    page = html(client, manager, reverse("agreements:agreement_detail", args=[agreement.pk]))
    assert "Decided in Samling i Bergen:" in page


def test_a_decision_not_linked_to_the_agreement_is_refused(client, agreement, decision, manager):
    other = Decision.objects.create(minutes=decision.minutes, text="Noe annet")
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("agreements:agreement_status", args=[agreement.pk]),
        {"to_status": Agreement.Status.IN_PREPARATION, "comment": "", "decision": other.pk},
        follow=True,
    )

    assert "Choose a decision linked to this agreement." in response.content.decode()
    assert not agreement.status_changes.exists()
    with pytest.raises(ValidationError, match="linked to this agreement"):
        services.change_status(
            agreement, to_status=Agreement.Status.IN_PREPARATION, comment="", by=manager, decision=other
        )
