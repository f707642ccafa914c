import datetime

import pytest
from django.utils import timezone

from meetings.models import Meeting, Minutes
from meetings.services import create_meeting


@pytest.fixture
def minutes(manager, atp):
    """Published minutes of a coordination group held three days ago, for an agreement to build on."""
    starts = timezone.now() - datetime.timedelta(days=3)
    meeting = create_meeting(
        by=manager,
        theme_areas=[atp],
        kind=Meeting.Kind.COORDINATION_GROUP,
        title="Koordineringsgruppen",
        venue="Departementet",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=Meeting.Status.HELD,
    )
    return Minutes.objects.create(meeting=meeting, main_points="Avtaler", status=Minutes.Status.PUBLISHED)
