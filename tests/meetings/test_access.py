"""meetings.access: the meeting page's minutes, and the querysets of what a user may see."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from meetings.access import (
    get_meeting_for_user,
    get_minutes_for_user,
    meetings_visible_to,
    minutes_visible_to,
)
from meetings.models import Invitation, Minutes


@pytest.fixture
def invitee(gathering, partner):
    Invitation.objects.create(meeting=gathering, user=partner)
    return partner


@pytest.mark.parametrize(("status", "shown"), [("draft", False), ("approved", False), ("published", True)])
def test_invitees_read_minutes_once_published_organisers_always(gathering, invitee, manager, status, shown):
    minutes = Minutes.objects.create(meeting=gathering, main_points="Referat", status=status)
    meeting = get_meeting_for_user(invitee, gathering.pk)

    assert get_minutes_for_user(invitee, meeting) == (minutes if shown else None)
    assert list(minutes_visible_to(invitee)) == ([minutes] if shown else [])
    assert get_minutes_for_user(manager, get_meeting_for_user(manager, gathering.pk)) == minutes


def test_a_meeting_is_hidden_from_an_outsider_and_closed_to_an_invitee(gathering, invitee, outsider):
    with pytest.raises(Http404):
        get_meeting_for_user(outsider, gathering.pk)
    with pytest.raises(PermissionDenied):
        get_meeting_for_user(invitee, gathering.pk, "meetings.change_meeting")
    assert list(meetings_visible_to(outsider)) == []
    assert list(meetings_visible_to(invitee)) == [gathering]
