"""Meetings of the fixed personas.

A network gathering of land use and transport, hosted by Oslo and planned
by the programme management; a network leader of land use and transport
plans too.
"""

import datetime

import pytest
from django.utils import timezone

from cities.models import Membership
from meetings.models import ChecklistTemplateItem, Invitation, Meeting
from meetings.services import create_meeting
from tests import factories

Response = Invitation.Response


@pytest.fixture
def leader(atp):
    user = factories.UserFactory(username="nettverksleder-atp")
    factories.MembershipFactory(user=user, role=Membership.Role.NETWORK_LEADER, theme_area=atp)
    return user


@pytest.fixture
def recipe(db):
    return [
        ChecklistTemplateItem.objects.create(text="Sett av tid til diskusjon", order=1),
        ChecklistTemplateItem.objects.create(text="Inviter fylkeskommunen", order=2),
        ChecklistTemplateItem.objects.create(text="Gammel oppgave", order=3, active=False),
    ]


def gathering_at(by, theme_areas, host_city, starts_at, **fields):
    fields = {
        "kind": Meeting.Kind.NETWORK_GATHERING,
        "title": "Nettverkssamling areal og transport",
        "venue": "Rådhuset",
        "ends_at": starts_at + datetime.timedelta(days=1, hours=6),
        **fields,
    }
    return create_meeting(by=by, theme_areas=theme_areas, host_city=host_city, starts_at=starts_at, **fields)


@pytest.fixture
def gathering(manager, atp, oslo, recipe):
    """Planned, in ten days; registration until the end of the fifth day from now."""
    starts = (timezone.now() + datetime.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    return gathering_at(
        manager,
        [atp],
        oslo,
        starts,
        registration_deadline=timezone.localdate() + datetime.timedelta(days=5),
    )


@pytest.fixture
def held(manager, atp, oslo, recipe):
    """Held; it ended yesterday, so its survey is open (14 days)."""
    starts = timezone.now() - datetime.timedelta(days=2)
    return gathering_at(
        manager, [atp], oslo, starts, ends_at=starts + datetime.timedelta(days=1), status=Meeting.Status.HELD
    )


def invite(meeting, *users, response=Response.PENDING, attended=None):
    for user in users:
        Invitation.objects.create(
            meeting=meeting,
            user=user,
            response=response,
            responded_at=None if response == Response.PENDING else timezone.now(),
            attended=attended,
        )
